"""The variance-exploding (VE) noise schedule of EnergyFlow: σ(t) = σ_min^{1−t/T} · σ_max^{t/T}."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class VESchedule:
    """Geometric noise levels between σ_min (t = 0) and σ_max (t = T)."""

    sigma_min: float = 0.01
    """Smallest noise level, σ(0)."""
    sigma_max: float = 10.0
    """Largest noise level, σ(T)."""
    T: float = 1.0
    """Diffusion time horizon."""

    def __post_init__(self) -> None:
        if not 0 < self.sigma_min < self.sigma_max:
            raise ValueError(f"need 0 < sigma_min < sigma_max, got {self.sigma_min}, {self.sigma_max}")
        if self.T <= 0:
            raise ValueError(f"T must be > 0, got {self.T}")

    @property
    def log_ratio(self) -> float:
        """ln(σ_max / σ_min)."""
        return math.log(self.sigma_max / self.sigma_min)

    def sigma(self, t: torch.Tensor) -> torch.Tensor:
        """σ(t) = σ_min · (σ_max/σ_min)^{t/T}."""
        return self.sigma_min * torch.exp(self.log_ratio * t / self.T)

    def d_sigma_sq(self, t: torch.Tensor) -> torch.Tensor:
        """dσ²/dt = 2 σ(t)² ln(σ_max/σ_min) / T."""
        return 2.0 * self.sigma(t) ** 2 * self.log_ratio / self.T
