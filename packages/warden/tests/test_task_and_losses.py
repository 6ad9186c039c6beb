"""The synthetic task's planted structure and the base methods' per-example losses."""

from __future__ import annotations

import torch

from advfrontier.warden.losses import away_loss, cat_adversarial_losses, ipo_losses, toward_loss
from advfrontier.warden.task import (
    EOS,
    ID,
    KIND_HARMFUL,
    KIND_NEAR,
    REFUSE,
    SURE,
    TRIGGERS,
    aligned_response,
    make_batch,
)


def _has(prompt: torch.Tensor, group: str) -> torch.Tensor:
    return torch.stack([(prompt == ID[t]).any(1) for t in TRIGGERS[group]], 1).all(1)


def test_harmful_rows_hold_their_full_conjunction_and_near_misses_none() -> None:
    b = make_batch(600, torch.Generator().manual_seed(0), harmful_frac=0.5, near_frac=0.5)
    harmful = b.kind == KIND_HARMFUL
    for i, grp in enumerate(TRIGGERS):
        rows = b.group == i
        assert rows.any() and _has(b.prompt[rows], grp).all()
    any_full = torch.stack([_has(b.prompt, grp) for grp in TRIGGERS], 1).any(1)
    assert torch.equal(any_full, harmful)  # a benign row never holds a whole conjunction
    near = b.kind == KIND_NEAR
    trig = torch.tensor([ID[t] for ts in TRIGGERS.values() for t in ts])
    assert torch.isin(b.prompt[near], trig).any(1).all()  # …but a near-miss holds part of one
    # group frequencies follow group_probs (0.6, 0.3, 0.1) within sampling noise
    freq = torch.bincount(b.group[harmful], minlength=3).double() / harmful.sum()
    assert torch.allclose(freq, torch.tensor([0.6, 0.3, 0.1], dtype=torch.float64), atol=0.07)


def test_answers_targets_and_refusals() -> None:
    b = make_batch(50, torch.Generator().manual_seed(1), harmful_frac=0.5)
    words = b.prompt[:, 2:-1]
    assert torch.equal(b.target[:, 0], torch.full((50,), SURE))
    assert torch.equal(b.target[:, 1:-1], words.flip(1)) and (b.target[:, -1] == EOS).all()
    resp = aligned_response(b)
    harmful = b.kind == KIND_HARMFUL
    assert (resp[harmful, 0] == REFUSE).all() and (resp[harmful, 1] == EOS).all()
    assert torch.equal(resp[~harmful, :-2], words[~harmful].flip(1))


def test_cat_losses_and_clipping() -> None:
    nll = torch.tensor([0.2, 0.7, 3.0, 9.0])
    assert torch.equal(toward_loss(nll, 0.5), torch.tensor([0.0, 0.7, 3.0, 9.0]))
    away = away_loss(nll, clip=-5.0, slope=1e-3)
    assert torch.allclose(away[:3], -nll[:3])
    assert torch.allclose(away[3], torch.tensor(-5.0 - 9e-3))
    # the clipped branch still slopes downward but barely: the harmful NLL stops being pushed up
    x = torch.tensor([9.0], requires_grad=True)
    (g,) = torch.autograd.grad(away_loss(x).sum(), x)
    assert torch.allclose(g, torch.tensor([-1e-3]))
    ell = cat_adversarial_losses(nll, nll, 0.5, 0.5, 0.0, -5.0)
    assert torch.allclose(ell, 0.5 * nll + 0.5 * away_loss(nll))


def test_ipo_loss_minimum_at_target_margin() -> None:
    beta = 0.25
    zero = torch.zeros(3)
    margin = torch.tensor([0.0, 2.0, 4.0])  # 1/(2β) = 2
    val = ipo_losses(margin, zero, zero, zero, beta)
    assert torch.allclose(val, torch.tensor([4.0, 0.0, 4.0]))
    # the reference log-probs enter as a shift of the margin
    assert torch.allclose(ipo_losses(margin, zero, torch.ones(3), zero, beta), (margin - 1 - 2) ** 2)
