"""BC and AIRL losses against their definitions, and the CEM planner on a reward with a known optimum."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from advfrontier.diffusion_reward.baselines import airl_discriminator_loss, bc_loss
from advfrontier.diffusion_reward.nets import GaussianPolicy
from advfrontier.diffusion_reward.planner import cem_plan


class FixedPolicy(GaussianPolicy):
    def __init__(self) -> None:
        nn.Module.__init__(self)

    def dist(self, s: torch.Tensor) -> torch.distributions.Normal:
        return torch.distributions.Normal(torch.zeros(len(s), 2), torch.ones(len(s), 2))


def test_bc_loss_is_the_gaussian_negative_log_likelihood() -> None:
    a = torch.tensor([[0.0, 0.0], [1.0, -2.0]])
    nll = 0.5 * (a**2).sum(-1) + math.log(2 * math.pi)
    assert float(bc_loss(FixedPolicy(), torch.zeros(2, 2), a)) == pytest.approx(float(nll.mean()), rel=1e-6)


def test_airl_discriminator_optimum_is_log_expert_density() -> None:
    pol = FixedPolicy()  # generator = expert = N(0, I)
    s, a_e, a_g = torch.zeros(64, 2), torch.randn(64, 2), torch.randn(64, 2)

    def f_star(s_, a_):
        return pol.log_prob(s_, a_)  # f = log π_E: D = 1/2 everywhere

    loss = float(airl_discriminator_loss(f_star, pol, s, a_e, s, a_g))
    assert loss == pytest.approx(2 * math.log(2), rel=1e-6)
    for shift in (-0.5, 0.5):
        worse = float(
            airl_discriminator_loss(lambda s_, a_, d=shift: f_star(s_, a_) + d, pol, s, a_e, s, a_g)
        )
        assert worse > loss


def test_cem_finds_the_optimum_of_a_quadratic_reward() -> None:
    target = torch.tensor([0.7, -0.4])

    def reward(s, a):
        return -((s + a - target) ** 2).sum(-1)

    s = torch.tensor([[0.0, 0.0], [0.5, 0.5]])
    a = cem_plan(reward, s, torch.Generator().manual_seed(0), 1, 128, 16, 6, box=2.0)
    torch.testing.assert_close(a, target - s, atol=0.05, rtol=0)


def test_a_state_offset_steers_a_multi_step_plan_but_not_a_one_step_one() -> None:
    def reward(s, a):
        return -0.1 * (a**2).sum(-1)

    def with_offset(s, a):  # c(s) rewards being right of the origin
        return reward(s, a) + 2.0 * s[:, 0]

    s = torch.zeros(1, 2)
    one = [
        cem_plan(r, s, torch.Generator().manual_seed(0), 1, 256, 16, 5, 2.0) for r in (reward, with_offset)
    ]
    torch.testing.assert_close(one[0], one[1], atol=0.05, rtol=0)
    two = cem_plan(with_offset, s, torch.Generator().manual_seed(0), 2, 256, 16, 5, 2.0)
    assert float(two[0, 0]) > 1.0
