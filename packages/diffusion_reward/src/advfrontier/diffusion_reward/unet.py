"""Paper-scale energy network: a Diffusion-Policy Conv1D UNet with FiLM conditioning and a scalar head.

Per the released code's hyper-parameters: down dims (64, 128, 256), kernel 5, GroupNorm(8), Softplus
everywhere (smooth, so ∇_a E exists), conditioning [state embedding 128, sinusoidal time 128] by FiLM,
and an energy head that mean-pools the UNet output over the horizon into a spectral-normalised MLP
256 → 128 → 1. Input: action chunk (B, pred_horizon, action_dim) and observations (B, obs_horizon, obs_dim).
"""

from __future__ import annotations

import itertools
import math

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm


def sinusoidal(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Transformer-style sinusoidal embedding of a (B,) time into (B, dim)."""
    half = dim // 2
    dtype = t.dtype if t.is_floating_point() else torch.float32
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=t.device, dtype=dtype) / half)
    args = t.to(dtype)[:, None] * freqs
    return torch.cat([args.sin(), args.cos()], dim=-1)


def conv_block(cin: int, cout: int, kernel: int, groups: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv1d(cin, cout, kernel, padding=kernel // 2), nn.GroupNorm(groups, cout), nn.Softplus()
    )


class FiLMResBlock(nn.Module):
    """Two conv blocks; the condition scales and shifts the features between them; a residual path."""

    def __init__(self, cin: int, cout: int, cond: int, kernel: int, groups: int):
        super().__init__()
        self.first, self.second = (
            conv_block(cin, cout, kernel, groups),
            conv_block(cout, cout, kernel, groups),
        )
        self.film = nn.Linear(cond, 2 * cout)
        self.skip = nn.Conv1d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        scale, shift = self.film(c).chunk(2, dim=-1)
        h = self.first(x) * (1 + scale[..., None]) + shift[..., None]
        return self.second(h) + self.skip(x)


class ConvUNet1D(nn.Module):
    """Down path with stride-2 convs, two middle blocks, up path with skip connections; output width dims[0].

    As in Diffusion Policy (and the released code) each up level upsamples ×2 and consumes the skips from
    the deepest level upwards, so the shallowest skip is unused and the output length equals the input's.
    """

    def __init__(self, action_dim: int, cond: int, dims: tuple[int, ...], kernel: int, groups: int = 8):
        super().__init__()
        chans = [action_dim, *dims]
        pairs = list(itertools.pairwise(chans))
        self.down = nn.ModuleList()
        for i, (cin, cout) in enumerate(pairs):
            last = i == len(pairs) - 1
            self.down.append(
                nn.ModuleList(
                    [
                        FiLMResBlock(cin, cout, cond, kernel, groups),
                        FiLMResBlock(cout, cout, cond, kernel, groups),
                        nn.Identity() if last else nn.Conv1d(cout, cout, 3, stride=2, padding=1),
                    ]
                )
            )
        self.mid = nn.ModuleList([FiLMResBlock(dims[-1], dims[-1], cond, kernel, groups) for _ in range(2)])
        self.up = nn.ModuleList()
        for cin, cout in reversed(pairs[1:]):
            self.up.append(
                nn.ModuleList(
                    [
                        FiLMResBlock(2 * cout, cin, cond, kernel, groups),
                        FiLMResBlock(cin, cin, cond, kernel, groups),
                        nn.Sequential(
                            nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv1d(cin, cin, 3, padding=1)
                        ),
                    ]
                )
            )
        self.out_channels = dims[0]

    def forward(self, a: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        x = a.transpose(1, 2)
        skips = []
        for b1, b2, down in self.down:
            x = b2(b1(x, c), c)
            skips.append(x)
            x = down(x)
        for block in self.mid:
            x = block(x, c)
        for b1, b2, up in self.up:
            skip = skips.pop()
            x = F.pad(x, (0, skip.shape[-1] - x.shape[-1])) if x.shape[-1] != skip.shape[-1] else x
            x = up(b2(b1(torch.cat([x, skip], dim=1), c), c))
        return x


class UNetEnergy(nn.Module):
    """E_φ(a, s, t): scalar energy of an action chunk given an observation window (the paper's model)."""

    def __init__(
        self,
        obs_dim: int,
        action_dim: int,
        obs_horizon: int = 2,
        dims: tuple[int, ...] = (64, 128, 256),
        kernel: int = 5,
        state_emb: int = 128,
        time_emb: int = 128,
    ):
        super().__init__()
        self.time_emb = time_emb
        self.state = nn.Sequential(
            nn.Flatten(1),
            nn.Linear(obs_dim * obs_horizon, 128),
            nn.Softplus(),
            nn.Linear(128, state_emb),
            nn.Softplus(),
        )
        self.time = nn.Sequential(nn.Linear(time_emb, time_emb), nn.Softplus(), nn.Linear(time_emb, time_emb))
        self.unet = ConvUNet1D(action_dim, state_emb + time_emb, dims, kernel)
        c = self.unet.out_channels
        self.head = nn.Sequential(
            spectral_norm(nn.Linear(c, 256)),
            nn.Softplus(),
            spectral_norm(nn.Linear(256, 128)),
            nn.Softplus(),
            spectral_norm(nn.Linear(128, 1, bias=False)),
        )

    def energy(self, a: torch.Tensor, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        cond = torch.cat([self.state(s), self.time(sinusoidal(t, self.time_emb))], dim=-1)
        return self.head(self.unet(a, cond).mean(dim=-1)).squeeze(-1)

    def score(
        self, a: torch.Tensor, s: torch.Tensor, t: torch.Tensor, create_graph: bool = False
    ) -> torch.Tensor:
        from advfrontier.diffusion_reward.energyflow import energy_score

        return energy_score(self.energy, a, s, t, create_graph)
