"""The LQ reference: closed form in a special case, HJB residual, mean-field consistency by Monte Carlo."""

from __future__ import annotations

import math

import numpy as np
import torch

from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.reference import LQReference

GENERAL = LQProblem(d=4, c0=0.3, c1=0.4, c2=1.5, c3=1.0, c4=0.5, c5=2.0, sigma=0.7, target=0.8, m0=-0.5)


def test_special_case_matches_tanh_closed_form() -> None:
    # c0 = c1 = c4 = 0, c2 = 1: a = k (q + k th)/(k + q th), m linear, β = s − a m
    d, m0 = 50, 0.7
    ref = LQReference(LQProblem(d=d, c3=1.0, c5=1.0, target=0.0, m0=m0, g0=0.0))
    t = np.linspace(0, 1, 11)
    a, m, beta, _ = ref.coefficients(t)
    q = 1.0 / d
    k = math.sqrt(q)
    th = np.tanh(k * (1 - t))
    a_cf = k * (q + k * th) / (k + q * th)
    s = q * m0 / (1 + q)
    np.testing.assert_allclose(a, a_cf, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(m, m0 - s * t, atol=1e-8)
    np.testing.assert_allclose(beta, s - a_cf * (m0 - s * t), atol=1e-8)


def test_hjb_residual_vanishes() -> None:
    # −∂_t v = ∇v·b_z(u*) + f(u*) + ½σ²Δv with u* = −∇v/c2, at random (t, z)
    p, ref = GENERAL, LQReference(GENERAL)
    g = torch.Generator().manual_seed(0)
    t = torch.rand(64, generator=g, dtype=torch.float64) * 0.9 + 0.05
    z = torch.randn(64, p.d, generator=g, dtype=torch.float64)
    eps = 1e-5
    dvdt = (ref.value(t + eps, z) - ref.value(t - eps, z)) / (2 * eps)
    zr = z.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(ref.value(t, zr).sum(), zr)
    a, m, _, _ = ref.coefficients(t.numpy())
    lap = torch.as_tensor(a) * p.d
    mbar = torch.as_tensor(m)[:, None].expand(-1, p.d)
    u = ref.control(t, z)
    np.testing.assert_allclose(u.numpy(), (-grad / p.c2).numpy(), atol=1e-12)
    ham = (grad * p.drift(z, mbar, u)).sum(-1) + p.running_cost(z, mbar, u) + 0.5 * p.sig**2 * lap
    assert (dvdt + ham).abs().max() < 1e-6
    # terminal condition
    zT = torch.randn(8, p.d, dtype=torch.float64)
    np.testing.assert_allclose(
        ref.value(torch.full((8,), p.T, dtype=torch.float64), zT).numpy(),
        p.terminal_cost(zT).numpy(),
        atol=1e-8,
    )


def test_mean_field_consistency_and_cost_by_monte_carlo() -> None:
    # simulate Z under u* with the reference mean; the sample mean must reproduce m̄ and the cost J*
    p, ref = GENERAL, LQReference(GENERAL)
    torch.manual_seed(1)
    n_paths, steps = 40000, 200
    h = p.T / steps
    z = p.sample_initial(n_paths).double()
    cost = torch.zeros(n_paths, dtype=torch.float64)
    for k in range(steps):
        t = torch.full((1,), k * h, dtype=torch.float64)
        mbar = ref.mean(t)
        u = ref.control(t.expand(n_paths), z)
        cost += h * p.running_cost(z, mbar, u)
        z = z + h * p.drift(z, mbar, u) + p.sig * math.sqrt(h) * torch.randn_like(z)
    cost += p.terminal_cost(z)
    m_T = ref.mean(torch.tensor([p.T], dtype=torch.float64))[0]
    assert (z.mean(0) - m_T).abs().max() < 0.02
    j_mc, j_se = float(cost.mean()), float(cost.std() / math.sqrt(n_paths))
    assert abs(j_mc - ref.cost()) < 4 * j_se + 5e-3 * abs(ref.cost())


def test_cost_formula_matches_average_of_value() -> None:
    p, ref = GENERAL, LQReference(GENERAL)
    z0 = p.sample_initial(200000, generator=torch.Generator().manual_seed(2)).double()
    v0 = ref.value(torch.zeros(len(z0), dtype=torch.float64), z0)
    assert abs(float(v0.mean()) - ref.cost()) < 5e-3 * abs(ref.cost())
