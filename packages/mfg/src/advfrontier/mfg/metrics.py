"""Errors against the reference: value (RE₁, RE∞), cost (RC), control and the particles' mean field."""

from __future__ import annotations

import torch

from advfrontier.mfg.data import initial_points, test_points
from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.particles import times
from advfrontier.mfg.reference import LQReference
from advfrontier.mfg.solver import Trained


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
