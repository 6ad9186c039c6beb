"""The one-step map Φ (moments, reset) and the particles' running means."""

from __future__ import annotations

import math

import torch

from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.particles import Particles, step_map

P = LQProblem(d=3, c0=0.5, c1=0.2, sigma=0.8, target=1.0, m0=0.5, spread=0.5, per_dim=False)


def test_phi_moments_and_reset() -> None:
    steps, count = 10, 200000
    h = P.T / steps
    z0 = torch.tensor([0.3, -1.0, 2.0]).expand(count, 3)
    means = torch.randn(steps + 1, 3)
    u = torch.tensor([0.1, 0.2, -0.3]).expand(count, 3)
    n = torch.full((count,), 4)
    n2, z2 = step_map(P, n, z0, means, u, steps, torch.randn(count, 3), P.sample_initial(count))
    assert bool((n2 == 5).all())
    expected_mean = z0[0] + h * P.drift(z0[:1], means[4], u[:1])[0]
    se = P.sig * math.sqrt(h) / math.sqrt(count)
    assert (z2.mean(0) - expected_mean).abs().max() < 5 * se
    cov = torch.cov(z2.T)
    assert torch.allclose(cov, P.sig**2 * h * torch.eye(3), atol=0.02 * P.sig**2 * h)
    # at t = T the chain regenerates from Z_0 = s·1_d, s ~ U[m0 − spread, m0 + spread]
    nT = torch.full((count,), steps)
    n3, z3 = step_map(P, nT, z0, means, u, steps, torch.randn(count, 3), P.sample_initial(count))
    assert bool((n3 == 0).all())
    assert torch.allclose(z3[:, 0], z3[:, 2])
    assert abs(float(z3[:, 0].mean()) - P.m0) < 0.01
    assert abs(float(z3[:, 0].var()) - P.spread**2 / 3) < 0.005


def test_running_means_match_recomputed_means() -> None:
    torch.manual_seed(0)
    parts = Particles(P, steps=6, count=700, shift=5.0)
    for _ in range(40):
        parts.move(torch.randperm(len(parts))[:70], lambda t, z: -z * t)
    for k in range(7):
        sel = parts.n == k
        assert int(parts.counts[k]) == int(sel.sum())
        if sel.any():
            assert torch.allclose(parts.means()[k], parts.z[sel].mean(0), atol=1e-5)
    assert int(parts.counts.sum()) == 700


def test_occupation_measure_is_uniform_in_time_when_stationary() -> None:
    # started uniform on the grid, whole-population moves keep exactly the same counts per slice
    torch.manual_seed(0)
    parts = Particles(P, steps=4, count=500, shift=0.0)
    before = parts.counts.clone()
    for _ in range(7):
        parts.move(torch.arange(500), lambda t, z: torch.zeros_like(z))
    assert torch.equal(parts.counts, before)


def test_chunked_construction_keeps_the_running_means_and_the_start_law() -> None:
    steps, count, shift = 5, 6000, 2.0
    torch.manual_seed(0)
    parts = Particles(P, steps, count, shift, chunk=7)  # many partial chunks, one ragged
    direct = torch.zeros(steps + 1, 3, dtype=torch.float64).index_add_(0, parts.n, parts.z.double())
    assert torch.allclose(parts.sums, direct)
    assert parts.counts.sum() == count
    # Z = s·1_d + shift·t + σ√t ζ: mean m0 + shift·t per time slice
    t = torch.arange(steps + 1) * (P.T / steps)
    expected = (P.m0 + shift * t)[:, None].expand(-1, 3)
    assert (parts.means() - expected).abs().max() < 0.05
