"""AutoAttack from torchattacks' components: exact on a linear model, worst case, sanity checks."""

import itertools

import pytest
import torch
from torch import nn

from advfrontier.shared.attacks.autoattack import AutoAttackConfig, autoattack, eps_sweep, zero_gradient_mask
from advfrontier.shared.threat import linf

pytest.importorskip("torchattacks")

FAST = AutoAttackConfig(apgd_steps=20, fab_steps=10, square_queries=50)


def _linear(seed: int = 0) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(8, 4))
    with torch.no_grad():
        model[1].weight.copy_(torch.randn(4, 8, generator=g))
        model[1].bias.zero_()
    x = 0.3 + 0.4 * torch.rand(64, 1, 2, 4, generator=g)  # interior: the [0, 1] box never binds at ε ≤ 0.1
    y = model(x).argmax(1)
    y[:8] = (y[:8] + 1) % 4  # a few clean mistakes
    return model, x, y


def _exact_robust(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float) -> torch.Tensor:
    """Closed form for a linear model: min_k (w_y − w_k)·x + b_y − b_k − ε‖w_y − w_k‖₁ > 0."""
    w = model[1].weight
    with torch.no_grad():
        z = model(x)
        gap = z.gather(1, y[:, None]) - z  # (N, C)
        l1 = (w[y][:, None, :] - w[None, :, :]).abs().sum(2)  # (N, C)
        worst = gap - eps * l1
        worst[torch.arange(len(y)), y] = float("inf")
    return worst.min(1).values > 0


def test_linear_model_robust_set_is_exact() -> None:
    model, x, y = _linear()
    eps = 0.05
    rep = autoattack(model, x, y, linf("0.05"), 4, FAST)
    assert torch.equal(rep.robust, _exact_robust(model, x, y, eps))
    assert 0 < rep.accuracy < float(rep.clean.float().mean())  # the test is not vacuous
    assert rep.largest_perturbation <= eps + 1e-6


def test_components_only_remove_points_and_report_in_order() -> None:
    model, x, y = _linear(1)
    rep = autoattack(model, x, y, linf("0.05"), 4, FAST)
    values = [float(rep.clean.float().mean()), *rep.after.values()]
    assert list(rep.after) == ["apgd-ce", "apgd-t", "fab-t", "square"]
    assert all(a >= b for a, b in itertools.pairwise(values))
    assert not (rep.robust & ~rep.clean).any()


def test_eps_sweep_reaches_zero() -> None:
    model, x, y = _linear(2)
    sweep = eps_sweep(model, x, y, linf("0.05"), 4, factors=(1.0, 20.0))
    assert sweep[1.0] > 0 and sweep[20.0] == 0.0


def test_zero_gradient_fraction_flags_a_masked_model() -> None:
    class Flat(nn.Module):  # constant logits: every input gradient is exactly zero
        def __init__(self) -> None:
            super().__init__()
            self.b = nn.Parameter(torch.tensor([1.0, 0.0, 0.0, 0.0]))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.b.expand(len(x), 4) + 0 * x.flatten(1)[:, :4]

    x, y = torch.rand(10, 1, 2, 4), torch.zeros(10, dtype=torch.long)
    assert zero_gradient_mask(Flat(), x, y).all()
    rep = autoattack(Flat(), x, y, linf("0.05"), 4, AutoAttackConfig(attacks=("apgd-ce",), apgd_steps=5))
    assert rep.zero_grad_fraction == 1.0
    model, xl, yl = _linear()
    assert not zero_gradient_mask(model, xl, yl).any()


def test_unknown_component_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown AutoAttack"):
        AutoAttackConfig(attacks=("apgd-ce", "pgd"))
