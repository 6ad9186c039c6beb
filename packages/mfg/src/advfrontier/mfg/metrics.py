"""Errors against the reference: value (RE₁, RE∞), cost (RC), control and the particles' mean field."""

from __future__ import annotations

import math

import torch

from advfrontier.mfg.data import initial_points, test_points
from advfrontier.mfg.losses import mean_residual_power
from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.particles import times
from advfrontier.mfg.reference import LQReference
from advfrontier.mfg.solver import Trained, batch_residual


def relative_errors(est: torch.Tensor, ref: torch.Tensor) -> tuple[float, float]:
    """(Σ|est − ref| / Σ|ref|, max|est − ref| / max|ref|)."""
    diff = (est - ref).abs()
    return float(diff.sum() / ref.abs().sum()), float(diff.max() / ref.abs().max())


def evaluate(p: LQProblem, ref: LQReference, trained: Trained, steps: int, n_test: int) -> dict[str, float]:
    """re1, reinf (value on test points), rc (cost), ctrl_re (rel. L2 of u), mean_re (rel. L2 of m̄_t)."""
    n, z = test_points(p, ref, steps, n_test)
    t = times(n, p, steps)
    dev = next(trained.value.parameters()).device
    with torch.no_grad():
        v_hat = trained.value(t[:, None].to(dev), z.to(dev)).cpu().double()
        u_hat = trained.policy(t[:, None].to(dev), z.to(dev)).cpu().double()
        z0 = initial_points(p, n_test)
        t0 = torch.zeros(n_test, 1)
        j_hat = float(trained.value(t0.to(dev), z0.to(dev)).double().mean())
    v_ref = ref.value(t.double(), z.double())
    u_ref = ref.control(t.double(), z.double())
    j_ref = float(ref.value(t0[:, 0].double(), z0.double()).mean())
    re1, reinf = relative_errors(v_hat, v_ref)
    grid = torch.arange(steps + 1, dtype=torch.float64) * (p.T / steps)
    m_hat = trained.particles.means().cpu().double()
    m_ref = ref.mean(grid)
    return {
        "re1": re1,
        "reinf": reinf,
        "rc": abs(j_hat - j_ref) / abs(j_ref),
        "ctrl_re": float((u_hat - u_ref).norm() / u_ref.norm()),
        "mean_re": float((m_hat - m_ref).norm() / m_ref.norm()),
    }


def validation_residual(p: LQProblem, steps: int, trained: Trained) -> float:
    """E[(E[𝓜|X])²] under the learned policy on a random half of the particles, without the reference.

    Unbiased: the product of two residuals of the same states with independent noise (antithetic each).
    """
    parts = trained.particles
    idx = torch.randperm(len(parts), device=parts.z.device)[: len(parts) // 2]
    n, z = parts.n[idx], parts.z[idx]
    means = parts.means()
    with torch.no_grad():
        u = trained.policy(times(n, p, steps)[:, None], z)
        ra = batch_residual(p, steps, (n, z), means, trained.value, u, antithetic=True)
        rb = batch_residual(p, steps, (n, z), means, trained.value, u, antithetic=True)
    return float(mean_residual_power(ra, rb))


def simulated_cost(p: LQProblem, steps: int, trained: Trained, paths: int = 4096) -> float:
    """Cost J of the learned policy on fresh paths from Z_0, with m̄_t the mean of those paths themselves
    (every agent plays the learned policy), without the reference: h Σ f(Z, m̄, u) + g(Z_T)."""
    dev = next(trained.policy.parameters()).device
    h = p.T / steps
    z = p.sample_initial(paths, device=dev)
    cost = torch.zeros(paths, dtype=torch.float64, device=dev)
    with torch.no_grad():
        for k in range(steps):
            t = torch.full((paths, 1), k * h, device=dev)
            u = trained.policy(t, z)
            mbar = z.mean(0, keepdim=True)
            cost += h * p.running_cost(z, mbar, u).double()
            z = z + h * p.drift(z, mbar, u) + p.sig * math.sqrt(h) * torch.randn_like(z)
        cost += p.terminal_cost(z).double()
    return float(cost.mean())
