"""WARDEN's aggregation layer against its definition: a brute-force convex solve of
max_q Σ q_i ℓ_i over the simplex within the divergence ball, plus its limits and its gradient."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy.optimize import minimize

from advfrontier.warden.dro import (
    aggregate,
    chi2_to_uniform,
    chi2_weights,
    cvar_weights,
    kl_dual,
    kl_to_uniform,
    kl_weights,
    tilted_loss,
)


def _brute_force(ell: np.ndarray, radius: float, div: str) -> float:
    """SLSQP on the simplex: the largest Σ q ℓ with D(q ‖ uniform) ≤ radius."""
    n = len(ell)

    def d(q: np.ndarray) -> float:
        q = np.clip(q, 1e-12, None)
        return float(np.sum(q * np.log(n * q))) if div == "kl" else 0.5 * (n * np.sum(q * q) - 1.0)

    best = -np.inf
    for start in (np.full(n, 1.0 / n), np.eye(n)[np.argmax(ell)] * 0.5 + 0.5 / n):
        res = minimize(
            lambda q: -q @ ell,
            start,
            jac=lambda q: -ell,
            bounds=[(0.0, 1.0)] * n,
            constraints=[
                {"type": "eq", "fun": lambda q: q.sum() - 1.0},
                {"type": "ineq", "fun": lambda q: radius - d(q)},
            ],
            method="SLSQP",
            options={"ftol": 1e-12, "maxiter": 500},
        )
        if d(res.x) <= radius + 1e-6 and abs(res.x.sum() - 1) < 1e-6:
            best = max(best, float(res.x @ ell))
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("radius", [0.05, 0.3, 1.0])
def test_kl_weights_match_convex_solver(seed: int, radius: float) -> None:
    ell = torch.randn(7, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    q, lam = kl_weights(ell, radius)
    assert abs(float(q.sum()) - 1.0) < 1e-9 and (q >= 0).all()
    assert abs(float(kl_to_uniform(q)) - radius) < 1e-6  # the constraint is active at λ*
    ours = float(q @ ell)
    assert ours == pytest.approx(_brute_force(ell.numpy(), radius, "kl"), abs=1e-4)
    # strong duality: the dual at λ* equals the primal value, and any other λ gives an upper bound
    assert float(kl_dual(ell, radius, lam)) == pytest.approx(ours, abs=1e-6)
    for other in (0.5 * lam, 2.0 * lam):
        assert float(kl_dual(ell, radius, other)) >= ours - 1e-9


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("rho", [0.05, 0.4, 1.5])
def test_chi2_weights_match_convex_solver(seed: int, rho: float) -> None:
    ell = torch.randn(6, generator=torch.Generator().manual_seed(10 + seed), dtype=torch.float64)
    q = chi2_weights(ell, rho)
    assert abs(float(q.sum()) - 1.0) < 1e-9 and (q >= 0).all()
    assert float(chi2_to_uniform(q)) <= rho + 1e-8
    assert float(q @ ell) == pytest.approx(_brute_force(ell.numpy(), rho, "chi2"), abs=1e-4)


def test_radius_limits_give_mean_and_max() -> None:
    ell = torch.tensor([0.3, -1.2, 2.5, 0.9, 2.5 - 1e-3], dtype=torch.float64)
    for kind, small in (("kl", 1e-8), ("chi2", 1e-8)):
        val, _ = aggregate(ell, kind, small)
        assert float(val) == pytest.approx(float(ell.mean()), abs=1e-3)
        big, _ = aggregate(ell, kind, 1e3)
        assert float(big) == pytest.approx(float(ell.max()), abs=1e-9)
    # zero radius is exactly the uniform average (CAT)
    assert float(aggregate(ell, "kl", 0.0)[0]) == pytest.approx(float(ell.mean()), abs=1e-12)
    # at ε ≥ log n the KL ball holds the one-hot on the maximum
    q, _ = kl_weights(ell, math.log(len(ell)))
    assert int(q.argmax()) == 2 and float(q.max()) == pytest.approx(1.0)


@pytest.mark.parametrize("kind,radius", [("kl", 0.2), ("kl", 0.8), ("chi2", 0.3), ("cvar", 0.4)])
def test_dro_value_at_least_mean_and_monotone_in_radius(kind: str, radius: float) -> None:
    ell = torch.randn(12, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    val = float(aggregate(ell, kind, radius)[0])
    assert val >= float(ell.mean()) - 1e-12
    assert val <= float(ell.max()) + 1e-12
    if kind != "cvar":
        assert float(aggregate(ell, kind, 2 * radius)[0]) >= val - 1e-12


def test_cvar_is_mean_of_top_fraction() -> None:
    ell = torch.tensor([5.0, 1.0, 3.0, 2.0, 4.0, 0.0, -1.0, 6.0], dtype=torch.float64)
    q = cvar_weights(ell, 0.25)
    assert float(q @ ell) == pytest.approx((6.0 + 5.0) / 2)
    q = cvar_weights(ell, 0.3)  # 2.4 examples: 6, 5 and 0.4 of 4
    assert float(q @ ell) == pytest.approx((6.0 + 5.0 + 0.4 * 4.0) / 2.4)


def test_gradient_is_weighted_sum_of_example_gradients() -> None:
    """Danskin: d/dθ sup_q Σ q ℓ_i(θ) = Σ q*_i ∇ℓ_i(θ); check against finite differences of the DRO value."""
    g = torch.Generator().manual_seed(4)
    x = torch.randn(9, 3, generator=g, dtype=torch.float64)
    theta = torch.randn(3, generator=g, dtype=torch.float64, requires_grad=True)

    def losses(t: torch.Tensor) -> torch.Tensor:
        return torch.log1p(torch.exp(x @ t)) + 0.1 * (x @ t) ** 2

    for kind, radius in (("kl", 0.3), ("chi2", 0.3)):
        val, _ = aggregate(losses(theta), kind, radius)
        (grad,) = torch.autograd.grad(val, theta)
        h = 1e-6
        fd = torch.zeros(3, dtype=torch.float64)
        for j in range(3):
            e = torch.zeros(3, dtype=torch.float64)
            e[j] = h
            up = aggregate(losses(theta.detach() + e), kind, radius)[0]
            dn = aggregate(losses(theta.detach() - e), kind, radius)[0]
            fd[j] = (up - dn) / (2 * h)
        assert torch.allclose(grad, fd, atol=1e-5), (kind, grad, fd)


def test_tilted_loss_gradient_is_softmax_weighted() -> None:
    ell = torch.randn(6, generator=torch.Generator().manual_seed(5), dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(tilted_loss(ell, 0.7), ell)
    assert torch.allclose(grad, torch.softmax(ell.detach() / 0.7, 0))
    assert float(aggregate(ell.detach(), "tilted", 0.7)[1].sum()) == pytest.approx(1.0)


def test_kl_weights_shift_invariant_and_order_preserving() -> None:
    ell = torch.randn(10, generator=torch.Generator().manual_seed(6), dtype=torch.float64)
    q1, _ = kl_weights(ell, 0.4)
    q2, _ = kl_weights(ell + 7.0, 0.4)
    assert torch.allclose(q1, q2, atol=1e-9)
    assert torch.equal(torch.argsort(q1), torch.argsort(ell))
