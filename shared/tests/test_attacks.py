"""Attacks against their definitions: budgets, domain, loss increase, strength ordering, modes."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from advfrontier.shared.attacks import (
    SanityError,
    check_budget,
    cw_margin_loss,
    embedding_pgd,
    fgsm,
    model_mode,
    pgd,
    robust_evaluate,
)
from advfrontier.shared.attacks.checks import looks_like_probabilities
from advfrontier.shared.threat import l2, linf
from shared.tests.helpers import digits, trained_cnn

THREATS = [linf("0.1"), l2("0.5")]


def _batch(n: int = 64) -> tuple[torch.Tensor, torch.Tensor]:
    d = digits().test
    return d.x[:n], d.y[:n]


@pytest.mark.parametrize("threat", THREATS, ids=str)
@pytest.mark.parametrize("loss", ["ce", "cw"])
def test_pgd_respects_budget_and_domain(threat, loss) -> None:
    model, (x, y) = trained_cnn(), _batch()
    x_adv = pgd(model, x, y, threat, steps=10, loss=loss, restarts=2)
    d = (x_adv - x).flatten(1)
    norms = d.abs().amax(1) if threat.norm == "Linf" else d.norm(dim=1)
    assert norms.max() <= threat.eps + 1e-5
    assert x_adv.min() >= 0 and x_adv.max() <= 1


@pytest.mark.parametrize("threat", THREATS, ids=str)
def test_attacks_raise_the_loss(threat) -> None:
    model, (x, y) = trained_cnn(), _batch()
    clean = F.cross_entropy(model(x), y)
    with torch.no_grad():
        after_fgsm = F.cross_entropy(model(fgsm(model, x, y, threat)), y)
        after_pgd = F.cross_entropy(model(pgd(model, x, y, threat, steps=10, keep_best=False)), y)
    assert after_fgsm > clean
    assert after_pgd > after_fgsm


def test_pgd_fools_at_least_as_often_as_fgsm() -> None:
    model, (x, y) = trained_cnn(), _batch(200)
    t = linf("0.1")
    with torch.no_grad():
        fgsm_ok = (model(fgsm(model, x, y, t)).argmax(1) == y).float().mean()
        pgd_ok = (model(pgd(model, x, y, t, steps=20, step_size=0.025)).argmax(1) == y).float().mean()
    assert pgd_ok <= fgsm_ok
    assert pgd_ok < 0.9  # a normally trained model is not robust at ε = 0.1


def test_targeted_pgd_reaches_its_target() -> None:
    model, (x, y) = trained_cnn(), _batch(100)
    target = (y + 1) % 10
    x_adv = pgd(model, x, target, linf("0.3"), steps=30, step_size=0.02, targeted=True)
    with torch.no_grad():
        hit = (model(x_adv).argmax(1) == target).float().mean()
        base = (model(x).argmax(1) == target).float().mean()
    assert hit > base + 0.5


def test_restarts_never_weaken_the_attack() -> None:
    model, (x, y) = trained_cnn(), _batch(200)
    t = linf("0.05")
    torch.manual_seed(1)
    one = pgd(model, x, y, t, steps=5, restarts=1)
    torch.manual_seed(1)
    three = pgd(model, x, y, t, steps=5, restarts=3)
    with torch.no_grad():
        assert (model(three).argmax(1) == y).sum() <= (model(one).argmax(1) == y).sum()


def test_cw_margin_closed_form() -> None:
    z = torch.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, -1.0]])
    y = torch.tensor([0, 2])
    # row 0: max other 2 − 3 = −1; row 1: 5 − (−1) = 6, clamped at κ = 4
    assert torch.allclose(cw_margin_loss(z, y, kappa=4.0), torch.tensor([-1.0, 4.0]))


def test_attack_sets_and_restores_modes() -> None:
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(64, 32), nn.BatchNorm1d(32), nn.Dropout(0.5), nn.Linear(32, 10)
    )
    model.train()
    model[3].eval()  # a mixed state must come back as it was
    bn_stats = model[2].running_mean.clone()
    x, y = _batch(32)
    pgd(model, x, y, linf("0.1"), steps=3)
    assert model.training and not model[3].training and model[2].training
    assert torch.equal(model[2].running_mean, bn_stats)  # eval-mode attack leaves BN statistics alone
    with model_mode(model, train=False):
        assert not any(m.training for m in model.modules())


def test_embedding_pgd_stays_in_per_token_ball_and_raises_loss() -> None:
    torch.manual_seed(0)
    w = torch.randn(16)
    emb = torch.randn(4, 7, 16)
    mask = torch.zeros(4, 7, dtype=torch.bool)
    mask[:, 2:5] = True

    def loss(e: torch.Tensor) -> torch.Tensor:
        return (e @ w).sum(1)

    for norm in ("L2", "Linf"):
        adv = embedding_pgd(loss, emb, eps=0.3, steps=10, norm=norm, mask=mask)
        delta = adv - emb
        per_token = delta.norm(dim=-1) if norm == "L2" else delta.abs().amax(-1)
        assert per_token.max() <= 0.3 + 1e-6
        assert delta[~mask].abs().max() == 0
        assert (loss(adv) > loss(emb)).all()


def test_check_budget_catches_violations() -> None:
    x = torch.full((2, 4), 0.5)
    with pytest.raises(SanityError, match="exceeds"):
        check_budget(x + 0.2, x, linf("0.1"))
    with pytest.raises(SanityError, match="leaves"):
        check_budget(x + 0.6, x, linf("1"))
    with pytest.raises(SanityError, match="NaN"):
        check_budget(x * float("nan"), x, linf("1"))
    assert check_budget(x + 0.05, x, linf("0.1")) == pytest.approx(0.05)


def test_robust_evaluate_counts_worst_case_per_example_and_warns_on_probabilities() -> None:
    model, (x, y) = trained_cnn(), _batch(100)
    t = linf("0.1")

    def keep(m, xb, yb):
        return xb

    def shift(m, xb, yb):
        return pgd(m, xb, yb, t, steps=10, step_size=0.025)

    rep = robust_evaluate(model, x, y, {"none": keep, "pgd": shift}, t)
    assert rep.worst_case <= min(rep.per_attack.values())
    assert rep.per_attack["none"] == pytest.approx(rep.clean)
    assert rep.max_perturbation <= t.eps + 1e-6 and not rep.warnings
    probs = nn.Sequential(model, nn.Softmax(dim=1))
    assert looks_like_probabilities(probs(x))
    assert any("probabilities" in w for w in robust_evaluate(probs, x, y, {"none": keep}, t).warnings)


def test_pgd_at_least_as_strong_as_torchattacks() -> None:
    """Cross-check with an independent implementation on the same model and budget."""
    torchattacks = pytest.importorskip("torchattacks")
    model, (x, y) = trained_cnn(), _batch(300)
    eps, alpha, steps = 0.1, 0.025, 20
    torch.manual_seed(0)
    theirs = torchattacks.PGD(model, eps=eps, alpha=alpha, steps=steps, random_start=True)(x, y)
    torch.manual_seed(0)
    ours = pgd(model, x, y, linf("0.1"), steps=steps, step_size=alpha)
    with torch.no_grad():
        acc_theirs = (model(theirs).argmax(1) == y).float().mean().item()
        acc_ours = (model(ours).argmax(1) == y).float().mean().item()
    assert acc_ours <= acc_theirs + 0.01, (acc_ours, acc_theirs)
