"""Baselines on the same demonstrations: behaviour cloning and AIRL (discriminator reward).

AIRL (Fu et al., 2018) in the discount-0 form of the miniature: D(s, a) = e^f / (e^f + π(a|s)); the
discriminator's optimum is f* = log π_E(a|s) = A*(s, a)/α for any generator. The generator is a Gaussian
policy trained with reparameterised gradients on the AIRL reward log D − log(1 − D) = f − log π.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from advfrontier.diffusion_reward.nets import Discriminator, GaussianPolicy


def bc_loss(policy: GaussianPolicy, s: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Behaviour cloning: −E log π(a_E | s_E)."""
    return -policy.log_prob(s, a).mean()


def airl_discriminator_loss(
    f: Discriminator,
    policy: GaussianPolicy,
    s_e: torch.Tensor,
    a_e: torch.Tensor,
    s_g: torch.Tensor,
    a_g: torch.Tensor,
) -> torch.Tensor:
    """AIRL's discriminator cross-entropy with logit f(s, a) − log π(a|s) (expert = 1, generator = 0)."""
    with torch.no_grad():
        lp_e, lp_g = policy.log_prob(s_e, a_e), policy.log_prob(s_g, a_g)
    logit_e = f(s_e, a_e) - lp_e
    logit_g = f(s_g, a_g) - lp_g
    return F.softplus(-logit_e).mean() + F.softplus(logit_g).mean()


def airl_generator_loss(f: Discriminator, policy: GaussianPolicy, s: torch.Tensor) -> torch.Tensor:
    """Generator: maximise E_{a~π}[f(s, a) − log π(a|s)] (the AIRL reward), reparameterised."""
    dist = policy.dist(s)
    a = dist.rsample()
    return -(f(s, a) - dist.log_prob(a).sum(-1)).mean()
