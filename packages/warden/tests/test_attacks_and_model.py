"""The miniature's pieces: the response NLL, the embedding attack's budget and effect, GCG's suffix."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from advfrontier.warden.attacks import embedding_attack, gcg_suffix
from advfrontier.warden.model import build_llama, embed, mean_embedding_norm, response_nll
from advfrontier.warden.task import ASSIST, KIND_HARMFUL, SUFFIX_TOKENS, VOCAB, make_batch


def _model() -> torch.nn.Module:
    torch.manual_seed(0)
    return build_llama(len(VOCAB), hidden=16, layers=1, heads=2, intermediate=32).eval()


def test_response_nll_matches_token_cross_entropy() -> None:
    model = _model()
    b = make_batch(5, torch.Generator().manual_seed(0), harmful_frac=0.0)
    ours = response_nll(model, embed(model, b.prompt), b.answer)
    ids = torch.cat([b.prompt, b.answer], 1)
    logits = model(input_ids=ids).logits
    p = b.prompt.shape[1]
    for i in range(5):
        keep = b.answer[i] != 0
        ref = F.cross_entropy(logits[i, p - 1 : -1][keep], b.answer[i][keep])
        assert torch.allclose(ours[i], ref, atol=1e-5)


def test_embedding_attack_respects_ball_and_lowers_target_nll() -> None:
    model = _model()
    b = make_batch(8, torch.Generator().manual_seed(1), kind=KIND_HARMFUL)
    clean = embed(model, b.prompt).detach()
    eps_rel = 2.0
    adv = embedding_attack(
        model, b.prompt, b.target, eps_rel, steps=20, generator=torch.Generator().manual_seed(0)
    )
    per_token = (adv - clean).norm(dim=-1)
    assert float(per_token.max()) <= eps_rel * mean_embedding_norm(model) + 1e-5
    assert float(per_token.min()) > 0  # every prompt token (BOS included) may move
    with torch.no_grad():
        before = response_nll(model, clean, b.target)
        after = response_nll(model, adv, b.target)
    assert (after < before).all() and float(after.mean()) < float(before.mean()) - 0.05
    assert not model.training  # the attack restored eval mode


def test_gcg_keeps_prompt_uses_allowed_tokens_and_lowers_loss() -> None:
    model = _model()
    b = make_batch(6, torch.Generator().manual_seed(2), kind=KIND_HARMFUL)
    allowed = torch.tensor(SUFFIX_TOKENS)
    m = 3
    out = gcg_suffix(
        model,
        b.prompt,
        b.target,
        allowed,
        m,
        steps=8,
        topk=8,
        n_cand=16,
        generator=torch.Generator().manual_seed(0),
        init_token=int(allowed[0]),
    )
    p = b.prompt.shape[1]
    assert out.shape == (6, p + m)
    assert torch.equal(out[:, : p - 1], b.prompt[:, :-1]) and (out[:, -1] == ASSIST).all()
    assert torch.isin(out[:, p - 1 : p - 1 + m], allowed).all()
    init = torch.cat([b.prompt[:, :-1], torch.full((6, m), int(allowed[0])), b.prompt[:, -1:]], 1)
    with torch.no_grad():
        l0 = response_nll(model, embed(model, init), b.target)
        l1 = response_nll(model, embed(model, out), b.target)
    assert (l1 <= l0 + 1e-6).all() and float(l1.mean()) < float(l0.mean())


def test_warden_at_zero_radius_trains_exactly_like_cat() -> None:
    """ρ → 0: the DRO layer is the uniform average, so CAT and WARDEN(ε=0) give the same model;
    a positive radius gives a different one and upweights the subgroups with larger losses."""
    from dataclasses import replace

    from advfrontier.warden.config import SMOKE
    from advfrontier.warden.train import adversarial_train

    cfg = replace(SMOKE, at_steps=3, adv_batch=8, util_batch=4, attack_steps=2)
    base = _model()
    out = {}
    for name, kind, radius in (("cat", "mean", 0.0), ("kl0", "kl", 0.0), ("kl", "kl", 0.5)):
        m = build_llama(len(VOCAB), hidden=16, layers=1, heads=2, intermediate=32)
        m.load_state_dict(base.state_dict())
        stats = adversarial_train(m, cfg, kind, radius, torch.Generator().manual_seed(0))
        out[name] = (torch.cat([p.detach().flatten() for p in m.parameters()]), stats)
    assert torch.allclose(out["cat"][0], out["kl0"][0], atol=1e-6)
    assert out["cat"][1]["weight_max"] == 1.0 and out["kl"][1]["weight_max"] > 1.0
    assert not torch.allclose(out["cat"][0], out["kl"][0], atol=1e-4)
