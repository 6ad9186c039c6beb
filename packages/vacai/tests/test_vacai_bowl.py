"""VAÇAÍ-Bowl's pieces against their definitions: gradient reversal, the three auxiliary losses,
the biaffine scorer and the parsing losses."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from advfrontier.vacai.biaffine import Biaffine, arc_loss, rel_loss
from advfrontier.vacai.encoder import ScratchEncoder
from advfrontier.vacai.synth import SOURCES, generate
from advfrontier.vacai.vacai_bowl import (
    VarietyParser,
    adversarial_loss,
    dann_schedule,
    difference_loss,
    grad_reverse,
    masked_mean,
    specific_loss,
    variety_view,
)


def test_gradient_reversal_is_identity_forward_and_minus_lambda_backward() -> None:
    x = torch.randn(4, 3, requires_grad=True)
    w = torch.randn(4, 3)
    y = grad_reverse(x, 0.7)
    assert torch.equal(y, x)
    (y * w).sum().backward()
    assert torch.allclose(x.grad, -0.7 * w)
    assert dann_schedule(0.0) == 0.0 and abs(dann_schedule(1.0) - 0.99991) < 1e-4


def test_adversarial_loss_trains_the_discriminator_but_reverses_the_encoder() -> None:
    torch.manual_seed(0)
    pooled = torch.randn(8, 5, requires_grad=True)
    labels = torch.randint(0, 3, (8,))
    disc = nn.Linear(5, 3)
    adversarial_loss(pooled, labels, disc, lam=0.5).backward()
    g_rev, g_disc = pooled.grad.clone(), disc.weight.grad.clone()
    pooled.grad = None
    disc.zero_grad()
    F.cross_entropy(disc(pooled), labels).backward()  # the same loss without reversal
    assert torch.allclose(g_rev, -0.5 * pooled.grad, atol=1e-6)
    assert torch.allclose(g_disc, disc.weight.grad)
    # the specific loss is not reversed: the encoder descends it
    pooled.grad = None
    specific_loss(pooled, labels, disc).backward()
    assert torch.allclose(pooled.grad, -g_rev / 0.5, atol=1e-6)


def test_difference_loss_closed_form() -> None:
    mask = torch.tensor([[False, True, True, True]])
    a = torch.zeros(1, 4, 4)
    b = torch.zeros(1, 4, 4)
    a[0, 1:3] = torch.randn(2, 4)  # invariant features live on words 1-2, specific ones on word 3:
    b[0, 3] = torch.randn(4)  # every column of one is orthogonal (over words) to every column of the other
    assert difference_loss(a, b, mask).item() == 0.0
    assert difference_loss(a, a, mask).item() > 0.1
    h = torch.randn(1, 4, 4)
    rows = F.normalize(h[0, 1:], dim=-1)
    expected = sum(float((rows[:, i] @ rows[:, j]) ** 2) for i in range(4) for j in range(4)) / 3
    assert abs(difference_loss(h, h, mask).item() - expected) < 1e-5
    # finite differences of the gradient
    h2 = torch.randn(1, 4, 4, dtype=torch.double, requires_grad=True)
    g = torch.randn(1, 4, 4, dtype=torch.double)
    assert torch.autograd.gradcheck(lambda x: difference_loss(x, g, mask), (h2,))


def test_masked_mean_skips_root_and_padding() -> None:
    h = torch.arange(12.0).reshape(1, 4, 3)
    mask = torch.tensor([[True, True, True, False]])
    assert torch.equal(masked_mean(h, mask), h[0, 1:3].mean(0, keepdim=True))


def test_biaffine_matches_the_bilinear_form() -> None:
    torch.manual_seed(1)
    bi = Biaffine(3, 2, 4, bias_x=True, bias_y=True)
    nn.init.normal_(bi.weight)
    x, y = torch.randn(2, 5, 3), torch.randn(2, 5, 2)
    out = bi(x, y)
    b, i, j, o = 1, 2, 4, 3
    xe, ye = torch.cat([x[b, i], torch.ones(1)]), torch.cat([y[b, j], torch.ones(1)])
    assert torch.allclose(out[b, i, j, o], xe @ bi.weight[o] @ ye, atol=1e-5)


def test_parsing_losses_are_cross_entropies_at_gold_heads() -> None:
    torch.manual_seed(2)
    arc = torch.randn(1, 4, 4)
    rel = torch.randn(1, 4, 4, 5)
    mask = torch.tensor([[True, True, True, False]])
    heads = torch.tensor([[0, 2, 0, 0]])
    rels = torch.tensor([[0, 1, 3, 0]])
    expect_arc = -(torch.log_softmax(arc[0, 1, :3], -1)[2] + torch.log_softmax(arc[0, 2, :3], -1)[0]) / 2
    assert torch.allclose(arc_loss(arc, heads, mask), expect_arc)
    expect_rel = -(torch.log_softmax(rel[0, 1, 2], -1)[1] + torch.log_softmax(rel[0, 2, 0], -1)[3]) / 2
    assert torch.allclose(rel_loss(rel, heads, rels, mask), expect_rel)


def test_variants_have_matched_parser_width_and_their_own_terms() -> None:
    torch.manual_seed(3)
    sents = generate(SOURCES[0], 4, 0) + generate(SOURCES[1], 4, 0)
    for s in sents[4:]:
        s.variety = "S1"
    heads = torch.zeros(8, max(len(s) for s in sents) + 1, dtype=torch.long)
    for b, s in enumerate(sents):
        heads[b, 1 : len(s) + 1] = torch.tensor(s.heads)
    rels = torch.zeros_like(heads)
    vs = torch.tensor([0] * 4 + [1] * 4)
    expected = {
        "plain": {"arc", "rel"},
        "invariant": {"arc", "rel", "adv"},
        "vacai": {"arc", "rel", "adv", "spec", "orth"},
    }
    for variant, terms in expected.items():
        enc = ScratchEncoder(sents, emb_dim=8, hidden=8)
        model = VarietyParser(
            enc, variant, n_rels=3, n_varieties=2, branch_dim=6, arc_dim=8, rel_dim=4, dropout=0.0
        )
        assert model.features(sents)["h"].shape[-1] == 12
        loss, got = model.loss(sents, heads, rels, vs, 1.0, 1.0, 1.0, grl=1.0)
        assert set(got) == terms
        assert abs(loss.item() - sum(got.values())) < 1e-4


def test_token_level_view_labels_every_word_with_its_sentence_variety() -> None:
    h = torch.arange(24.0).reshape(2, 4, 3)
    mask = torch.tensor([[True, True, True, False], [True, True, True, True]])
    x, y = variety_view(h, mask, torch.tensor([0, 1]), "token")
    assert torch.equal(x, torch.cat([h[0, 1:3], h[1, 1:4]])) and y.tolist() == [0, 0, 1, 1, 1]
    xs, ys = variety_view(h, mask, torch.tensor([0, 1]), "sentence")
    assert torch.equal(xs, masked_mean(h, mask)) and ys.tolist() == [0, 1]
