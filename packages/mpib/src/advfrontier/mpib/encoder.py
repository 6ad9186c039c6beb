"""Clip encoder: input standardisation (a layer), 1-D convs over frames, multi-scale temporal fusion."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class Standardize(nn.Module):
    """(x − μ) / σ per feature, with μ, σ fitted on training clips and stored as buffers."""

    def __init__(self, n_features: int) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))

    def fit(self, x: torch.Tensor) -> None:
        flat = x.reshape(-1, x.shape[-1])
        self.mean.copy_(flat.mean(0))
        self.std.copy_(flat.std(0).clamp_min(1e-6))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std


def multiscale_pool(h: torch.Tensor, windows: tuple[int, ...]) -> torch.Tensor:
    """Multi-scale temporal fusion: per window w, average-pool (B, C, T) over w frames; mean and std."""
    out = []
    for w in windows:
        hw = h if w == 1 else F.avg_pool1d(h, w, stride=w, ceil_mode=True)
        std = hw.std(-1, unbiased=False) if hw.shape[-1] > 1 else torch.zeros_like(hw[..., 0])
        out += [hw.mean(-1), std]
    return torch.cat(out, dim=1)


class Encoder(nn.Module):
    """(B, T, F) frames → (B, H) clip embedding e."""

    def __init__(self, n_features: int, hidden: int, windows: tuple[int, ...]) -> None:
        super().__init__()
        self.norm = Standardize(n_features)
        self.conv = nn.Sequential(
            nn.Conv1d(n_features, hidden, 5, padding=2),
            nn.GELU(),
            nn.Conv1d(hidden, hidden, 5, padding=2),
            nn.GELU(),
        )
        self.windows = tuple(windows)
        self.proj = nn.Sequential(nn.Linear(2 * hidden * len(self.windows), hidden), nn.GELU())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv(self.norm(x).transpose(1, 2))
        return self.proj(multiscale_pool(h, self.windows))
