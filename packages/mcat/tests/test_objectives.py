"""MS-PGD and the outer losses: the released variant is exactly PGD-AT + R_ETF, the paper's is not."""

import math

import pytest
import torch
import torch.nn.functional as F

from advfrontier.mcat.etf import etf_penalty
from advfrontier.mcat.manifold import ClassGenerators, manifold_distance, released_manifold_distance
from advfrontier.mcat.objectives import (
    Mcat,
    McatReleased,
    balanced_softmax_loss,
    mcat_loss,
    ms_pgd,
    ms_pgd_objective,
)
from advfrontier.shared.attacks.pgd import pgd
from advfrontier.shared.models.small_cnn import SmallCNN
from advfrontier.shared.threat import linf

THREAT = linf("0.1")


def _setup() -> tuple[SmallCNN, ClassGenerators, torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    model = SmallCNN(feature_dim=16)
    gen = ClassGenerators(10, 4, 16, (16,))
    for p in gen.parameters():
        p.requires_grad_(False)
    x = torch.rand(12, 1, 8, 8)
    y = torch.arange(12) % 10
    return model, gen, x, y


def _input_grad(model, gen, x, y, released: bool, lam: float) -> torch.Tensor:
    x = x.clone().requires_grad_(True)
    feats = model.features(x)
    dist = released_manifold_distance if released else manifold_distance
    obj = ms_pgd_objective(model.head(feats), dist(gen, feats, y), y, lam, -1.0).sum()
    return torch.autograd.grad(obj, x)[0]


def test_released_manifold_term_has_zero_gradient() -> None:
    model, gen, x, y = _setup()
    xr = x.clone().requires_grad_(True)
    (g_ce,) = torch.autograd.grad(F.cross_entropy(model(xr), y, reduction="none").sum(), xr)
    g_released = _input_grad(model, gen, x, y, released=True, lam=0.2)
    g_paper = _input_grad(model, gen, x, y, released=False, lam=0.2)
    assert float((g_released - g_ce).abs().max()) == 0.0  # the released "manifold" gradient is exactly 0
    assert float((g_paper - g_ce).abs().max()) > 1e-4  # the paper's differentiable d moves the attack


def test_released_ms_pgd_is_plain_pgd() -> None:
    model, gen, x, y = _setup()
    torch.manual_seed(5)
    ms = ms_pgd(model, gen, x, y, THREAT, 5, "1/40", lam=0.2, sign=-1.0, released=True)
    torch.manual_seed(5)
    plain = pgd(model, x, y, THREAT, 5, "1/40", keep_best=False)
    assert torch.equal(ms, plain)
    torch.manual_seed(5)
    paper = ms_pgd(model, gen, x, y, THREAT, 5, "1/40", lam=0.2, sign=1.0, released=False)
    assert not torch.equal(paper, plain)
    assert (
        float((paper - x).abs().max()) <= 0.1 + 1e-6 and float(paper.min()) >= 0 and float(paper.max()) <= 1
    )


def test_ms_pgd_sign_steers_manifold_drift() -> None:
    model, gen, x, y = _setup()
    drift = {}
    for sign in (1.0, -1.0):
        torch.manual_seed(5)
        x_adv = ms_pgd(model, gen, x, y, THREAT, 10, "1/40", lam=50.0, sign=sign, released=False)
        torch.manual_seed(6)
        with torch.no_grad():
            drift[sign] = float(manifold_distance(gen, model.features(x_adv), y, steps=10).mean())
    assert drift[1.0] > drift[-1.0]


def test_outer_losses_closed_forms() -> None:
    model, gen, x, y = _setup()
    logits = model(x)
    d = torch.rand(len(y))
    w = model.head.weight
    expected = F.cross_entropy(logits, y) + 0.1 * d.mean() + 3e-3 * etf_penalty(w)
    torch.testing.assert_close(mcat_loss(logits, d, y, w, 0.1, 3e-3), expected)
    torch.manual_seed(9)
    released = McatReleased(gen, THREAT, 3, "1/40", lam=0.2, beta=1.0)(model, x, y)
    torch.manual_seed(9)
    x_adv = pgd(model, x, y, THREAT, 3, "1/40", keep_best=False)
    torch.testing.assert_close(released, F.cross_entropy(model(x_adv), y) + etf_penalty(w))


def test_paper_outer_loss_pulls_features_to_the_manifold() -> None:
    model, gen, x, y = _setup()
    obj = Mcat(gen, THREAT, 2, "1/40", lam=1.0, beta=0.0)
    no_d = Mcat(gen, THREAT, 2, "1/40", lam=0.0, beta=0.0)
    grads = []
    for o in (obj, no_d):
        torch.manual_seed(4)
        model.zero_grad()
        o(model, x, y).backward()
        grads.append(model.body[-2].weight.grad.clone())
    assert float((grads[0] - grads[1]).abs().max()) > 1e-4


def test_balanced_softmax_closed_form() -> None:
    logits = torch.randn(6, 4, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 3, 0, 1])
    counts = torch.tensor([100, 30, 10, 2])
    manual = 0.0
    for i in range(6):
        num = int(counts[y[i]]) * math.exp(float(logits[i, y[i]]))
        den = sum(int(counts[j]) * math.exp(float(logits[i, j])) for j in range(4))
        manual -= math.log(num / den) / 6
    assert float(balanced_softmax_loss(logits, y, counts)) == pytest.approx(manual, rel=1e-10)
    same = balanced_softmax_loss(logits, y, torch.full((4,), 7))
    torch.testing.assert_close(same, F.cross_entropy(logits, y))
