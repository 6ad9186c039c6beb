"""Small smooth MLPs of the miniature: energy / score networks, a Gaussian policy, a discriminator.

All use Softplus, as the released code does, so that ∇_a of a scalar output exists and is smooth.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def time_features(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal features of diffusion time t ∈ [0, T] (shape (B,) → (B, dim))."""
    half = dim // 2
    freqs = torch.exp(-math.log(1000.0) * torch.arange(half, dtype=t.dtype) / max(half - 1, 1))
    args = 100.0 * t[:, None] * freqs  # t ∈ [0, 1] spread over the frequency range
    return torch.cat([args.sin(), args.cos()], dim=-1)


def mlp(inp: int, hidden: int, depth: int, out: int) -> nn.Sequential:
    """depth hidden Softplus layers of width ``hidden``."""
    layers: list[nn.Module] = []
    d = inp
    for _ in range(depth):
        layers += [nn.Linear(d, hidden), nn.Softplus()]
        d = hidden
    layers.append(nn.Linear(d, out))
    return nn.Sequential(*layers)


class DiffusionNet(nn.Module):
    """f(a, s, t) → R^out from [a, s, time features]; out = 1 for an energy, = action_dim for a score."""

    def __init__(
        self, action_dim: int, state_dim: int, hidden: int, depth: int, out: int, time_dim: int = 16
    ):
        super().__init__()
        self.time_dim = time_dim
        self.net = mlp(action_dim + state_dim + time_dim, hidden, depth, out)

    def forward(self, a: torch.Tensor, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([a, s, time_features(t, self.time_dim)], dim=-1))


class GaussianPolicy(nn.Module):
    """π(a|s) = N(μ(s), diag σ(s)²): the behaviour-cloning model and the AIRL generator."""

    def __init__(self, state_dim: int, action_dim: int, hidden: int, depth: int):
        super().__init__()
        self.net = mlp(state_dim, hidden, depth, 2 * action_dim)

    def dist(self, s: torch.Tensor) -> torch.distributions.Normal:
        mu, log_std = self.net(s).chunk(2, dim=-1)
        return torch.distributions.Normal(mu, log_std.clamp(-5.0, 2.0).exp())

    def log_prob(self, s: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
        return self.dist(s).log_prob(a).sum(-1)


class Discriminator(nn.Module):
    """AIRL's f_ψ(s, a) → R."""

    def __init__(self, state_dim: int, action_dim: int, hidden: int, depth: int):
        super().__init__()
        self.net = mlp(state_dim + action_dim, hidden, depth, 1)

    def forward(self, s: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([s, a], dim=-1)).squeeze(-1)
