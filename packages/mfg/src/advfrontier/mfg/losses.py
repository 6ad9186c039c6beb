"""The residual 𝓜 and the three losses of deep policy iteration.

Equation numbers are not in our notes of the paper; each loss names the step of the paper it implements.
"""

from __future__ import annotations

import torch

from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.networks import ValueNet
from advfrontier.mfg.particles import step_map, times


def residual(
    problem: LQProblem,
    steps: int,
    n: torch.Tensor,
    z: torch.Tensor,
    means: torch.Tensor,
    u: torch.Tensor,
    value: ValueNet,
    zeta: torch.Tensor,
    reset: torch.Tensor,
    antithetic: bool = False,
) -> torch.Tensor:
    """𝓜(x) = [h f(x, μ, u) + v(Φ(x, μ, u)) − v(x)]·1(t ∈ Π_h), one sample of Φ per row.

    ``antithetic``: v(Φ) is replaced by ½[v(Φ(ζ)) + v(Φ(−ζ))] (the same conditional mean given x; the
    first-order noise σ√h ∇v·ζ cancels), a variance reduction of the one-sample estimate.
    """
    h = problem.T / steps
    n2, z2 = step_map(problem, n, z, means, u, steps, zeta, reset)
    v_next = value.value(problem, times(n2, problem, steps)[:, None], z2, n2 == steps)
    if antithetic:
        n3, z3 = step_map(problem, n, z, means, u, steps, -zeta, reset)
        v_next = 0.5 * (v_next + value.value(problem, times(n3, problem, steps)[:, None], z3, n3 == steps))
    v_now = value.value(problem, times(n, problem, steps)[:, None], z, n == steps)
    f = problem.running_cost(z, means[torch.clamp(n, max=steps - 1)], u)
    return (h * f + v_next - v_now) * (n < steps).to(z.dtype)


def g1g2(rho1: torch.Tensor, res1: torch.Tensor, rho2: torch.Tensor, res2: torch.Tensor) -> torch.Tensor:
    """Policy evaluation |E[ρ_η(X) 𝓜(X)]|², estimated without bias by G1ᵀG2 on two disjoint minibatches."""
    g1 = (rho1 * res1[:, None]).mean(0)
    g2 = (rho2 * res2[:, None]).mean(0)
    return g1 @ g2


def squared_residual(res: torch.Tensor) -> torch.Tensor:
    """Non-adversarial baseline E[𝓜²] (biased: it adds the conditional variance of v(Φ))."""
    return (res * res).mean()


def mean_residual_power(res_a: torch.Tensor, res_b: torch.Tensor) -> torch.Tensor:
    """E[(E[𝓜 | X])²], estimated without bias by the product of two residuals of the same states with
    independent noise: the validation criterion that needs no reference solution."""
    return (res_a * res_b).mean()


def improvement(res: torch.Tensor) -> torch.Tensor:
    """Policy improvement min_α E[𝓜(X; μ_i, u_α, v_θ)] (v_θ held fixed by the caller)."""
    return res.mean()
