"""EnergyFlow's pieces against their definitions: score = −∇E, DSM closed form, PF-ODE, centring."""

from __future__ import annotations

import math

import pytest
import torch

from advfrontier.diffusion_reward.energyflow import (
    EnergyModel,
    centred_reward,
    dsm_loss,
    energy_score,
    raw_reward,
    reference_actions,
    sample_ode,
)
from advfrontier.diffusion_reward.schedule import VESchedule

SCHED = VESchedule(0.01, 10.0, 1.0)


@pytest.mark.parametrize("precondition", [False, True])
def test_score_is_minus_energy_gradient_by_finite_differences(precondition: bool) -> None:
    torch.manual_seed(0)
    model = EnergyModel(SCHED, 2, 2, 16, 2, precondition).double()
    a, s, t = (
        torch.randn(5, 2, dtype=torch.float64),
        torch.randn(5, 2, dtype=torch.float64),
        torch.rand(5).double(),
    )
    score = model.score(a, s, t)
    h = 1e-6
    fd = torch.zeros_like(a)
    for k in range(2):
        e = torch.zeros_like(a)
        e[:, k] = h
        fd[:, k] = (model.energy(a + e, s, t) - model.energy(a - e, s, t)) / (2 * h)
    torch.testing.assert_close(score, -fd, rtol=1e-5, atol=1e-7)


def test_training_score_keeps_graph_for_parameters() -> None:
    torch.manual_seed(0)
    model = EnergyModel(SCHED, 2, 2, 8, 1, True)
    a, s, t = torch.randn(4, 2), torch.randn(4, 2), torch.rand(4)
    loss = dsm_loss(model.score, SCHED, s, a, t, torch.randn(4, 2))
    loss.backward()  # the loss depends on the parameters only through ∇_a E: a double backward
    named = dict(model.named_parameters())
    last_bias = [k for k in named if k.endswith("bias")][-1]
    assert named[last_bias].grad is None  # DSM cannot see a constant energy offset
    assert all(float(p.grad.abs().sum()) > 0 for k, p in named.items() if k != last_bias)


def gaussian_energy(mu: torch.Tensor, s0: float):
    """Exact energy of N(μ, s0²I) diffused by the VE schedule: ‖a − μ‖² / (2(s0² + σ(t)²))."""

    def energy(a: torch.Tensor, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        var = s0**2 + SCHED.sigma(t) ** 2
        return ((a - mu) ** 2).sum(-1) / (2 * var)

    return energy


def test_dsm_loss_at_exact_score_matches_closed_form_and_is_minimal() -> None:
    gen = torch.Generator().manual_seed(0)
    mu, s0, n = torch.tensor([0.5, -1.0], dtype=torch.float64), 0.7, 100_000
    energy = gaussian_energy(mu, s0)
    a0 = mu + s0 * torch.randn(n, 2, generator=gen, dtype=torch.float64)
    eps = torch.randn(n, 2, generator=gen, dtype=torch.float64)
    t = torch.full((n,), 0.4, dtype=torch.float64)
    sigma2 = float(SCHED.sigma(t[:1])) ** 2

    def score(a, s, t, create_graph=False):
        return energy_score(energy, a, s, t, create_graph)

    loss = float(dsm_loss(score, SCHED, torch.zeros(n, 2), a0, t, eps))
    assert loss == pytest.approx(s0**2 / (s0**2 + sigma2), rel=1e-2)  # E‖σS* + ε‖²/d = s0²/(s0² + σ²)

    def biased(a, s, t, create_graph=False):
        return score(a, s, t, create_graph) + 3.0

    worse = float(dsm_loss(biased, SCHED, torch.zeros(n, 2), a0, t, eps))
    assert worse - loss == pytest.approx(sigma2 * 9.0, rel=0.05)  # excess = σ²·‖b‖²/d at the minimiser


def test_probability_flow_ode_follows_the_exact_gaussian_trajectory() -> None:
    mu, s0 = torch.tensor([1.0, -2.0], dtype=torch.float64), 0.5
    energy = gaussian_energy(mu, s0)

    def score(a, s, t):
        return energy_score(energy, a, s, t, False)

    a_T = mu + torch.tensor([[3.0, -4.0], [-10.0, 2.0]], dtype=torch.float64)
    gamma = 1e-3
    out = sample_ode(score, SCHED, torch.zeros(2, 1), a_T, steps=4000, gamma=gamma)
    t_end, t_start = torch.tensor([gamma]).double(), torch.tensor([SCHED.T]).double()
    shrink = torch.sqrt((s0**2 + SCHED.sigma(t_end) ** 2) / (s0**2 + SCHED.sigma(t_start) ** 2))
    torch.testing.assert_close(out, mu + (a_T - mu) * shrink, rtol=5e-3, atol=5e-3)


def test_ode_samples_have_the_target_moments() -> None:
    gen = torch.Generator().manual_seed(1)
    mu, s0 = torch.tensor([1.0, -2.0], dtype=torch.float64), 0.5
    energy = gaussian_energy(mu, s0)
    init = mu + math.sqrt(s0**2 + SCHED.sigma_max**2) * torch.randn(
        5000, 2, generator=gen, dtype=torch.float64
    )
    out = sample_ode(
        lambda a, s, t: energy_score(energy, a, s, t, False), SCHED, torch.zeros(1), init, 1000, 1e-3
    )
    torch.testing.assert_close(out.mean(0), mu, atol=0.03, rtol=0)
    torch.testing.assert_close(out.std(0), torch.full((2,), s0, dtype=torch.float64), atol=0.03, rtol=0)


def test_centred_reward_is_invariant_to_a_state_offset_but_raw_is_not() -> None:
    torch.manual_seed(0)
    model = EnergyModel(SCHED, 2, 2, 16, 2, True)
    refs = reference_actions(16, (2,), seed=0)
    s, a = torch.randn(6, 2), torch.randn(6, 2)

    def shifted(a_, s_, t_):
        return model.energy(a_, s_, t_) + 5.0 * torch.sin(3 * s_[:, 0]) + s_[:, 1] ** 2

    torch.testing.assert_close(
        centred_reward(shifted, s, a, refs, 1e-3), centred_reward(model.energy, s, a, refs, 1e-3)
    )
    assert not torch.allclose(raw_reward(shifted, s, a, 1e-3), raw_reward(model.energy, s, a, 1e-3))


def test_centred_reward_equals_its_definition() -> None:
    torch.manual_seed(0)
    model = EnergyModel(SCHED, 2, 2, 16, 2, True)
    refs = reference_actions(16, (2,), seed=0)
    s, a = torch.randn(3, 2), torch.randn(3, 2)
    t = torch.full((1,), 1e-3)
    want = torch.stack(
        [
            -(
                model.energy(a[i : i + 1], s[i : i + 1], t)
                - model.energy(refs, s[i].expand(16, 2), t.expand(16)).mean()
            )[0]
            for i in range(3)
        ]
    )
    torch.testing.assert_close(centred_reward(model.energy, s, a, refs, 1e-3), want.detach())
