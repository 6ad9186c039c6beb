"""DPO and LocalAlign's margin-aware DPO against their definitions."""

import math

import torch

from advfrontier.localalign.dpo import AdaptiveBeta, dpo_loss, margin_aware_dpo_loss


def _logps(n: int = 5, seed: int = 0) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [-torch.rand(n, generator=g, dtype=torch.float64) * 10 for _ in range(4)]


def test_dpo_loss_closed_form() -> None:
    pi_w, pi_l, ref_w, ref_l = _logps()
    beta = 0.3
    want = 0.0
    for i in range(5):
        h = (float(pi_w[i]) - float(pi_l[i])) - (float(ref_w[i]) - float(ref_l[i]))
        want += math.log1p(math.exp(-beta * h)) / 5
    assert math.isclose(float(dpo_loss(pi_w, pi_l, ref_w, ref_l, beta)), want, rel_tol=1e-10)


def test_dpo_gradient_matches_finite_differences() -> None:
    pi_w, pi_l, ref_w, ref_l = _logps(seed=1)
    pi_w.requires_grad_(True)
    pi_l.requires_grad_(True)
    loss = dpo_loss(pi_w, pi_l, ref_w, ref_l, 0.7)
    gw, gl = torch.autograd.grad(loss, (pi_w, pi_l))
    eps = 1e-6
    for x, g in ((pi_w, gw), (pi_l, gl)):
        for i in range(len(x)):
            e = torch.zeros_like(x)
            e[i] = eps
            with torch.no_grad():
                args = [pi_w, pi_l]
                plus = [a + e if a is x else a for a in args]
                minus = [a - e if a is x else a for a in args]
                fd = (dpo_loss(*plus, ref_w, ref_l, 0.7) - dpo_loss(*minus, ref_w, ref_l, 0.7)) / (2 * eps)
            assert math.isclose(float(g[i]), float(fd), rel_tol=1e-5, abs_tol=1e-9)
    # the chosen answer's gradient pushes its log-prob up, the rejected one's down
    assert bool((gw < 0).all()) and bool((gl > 0).all())


def test_adaptive_beta_matches_hand_recursion() -> None:
    b0, lam, mom, lo, hi = 0.1, 1.0, 0.9, 0.01, 1.0
    sched = AdaptiveBeta(b0, lam, mom, lo, hi)
    m0, var, init = 0.0, 1.0, False
    for step in range(6):
        pi_w, pi_l, ref_w, ref_l = _logps(seed=10 + step)
        m_bar = float((b0 * ((pi_w - pi_l) - (ref_w - ref_l))).mean())
        if not init:
            m0, init = m_bar, True
        var = mom * var + (1 - mom) * (m_bar - m0) ** 2
        want = min(max(b0 * math.exp(lam * math.tanh((m_bar - m0) / math.sqrt(var + 1e-8))), lo), hi)
        m0 = mom * m0 + (1 - mom) * m_bar
        got = sched(pi_w, pi_l, ref_w, ref_l)
        assert math.isclose(got, want, rel_tol=1e-12)
        assert b0 * math.exp(-lam) - 1e-12 <= got <= b0 * math.exp(lam) + 1e-12
    assert sched.step == 6


def test_adaptive_beta_first_step_is_beta0_and_beta_is_detached() -> None:
    pi_w, pi_l, ref_w, ref_l = _logps(seed=3)
    pi_w.requires_grad_(True)
    loss, beta = margin_aware_dpo_loss(pi_w, pi_l, ref_w, ref_l, AdaptiveBeta(beta0=0.2))
    assert math.isclose(beta, 0.2)  # M̄ = M₀ at the first batch: z = 0
    (g,) = torch.autograd.grad(loss, pi_w)
    (g_ref,) = torch.autograd.grad(dpo_loss(pi_w, pi_l, ref_w, ref_l, 0.2), pi_w)
    assert torch.allclose(g, g_ref)  # β is a constant for the gradient (stop-gradient)
