"""The linear-quadratic mean-field game of the paper's Table 1 (LQ-1 type), in any dimension d.

State z ∈ R^d on [0, T], population mean m̄_t = E[Z_t] (the time-t slice of the occupation measure μ):

    dZ = b_z dt + σ dW,       b_z = u + c0 (m̄_t − z) + c1 (z* − m̄_t)
    f(z, m̄, u) = ½ [c2 |u|² + c3 |z − m̄|² + c4 |z − z*|²]
    g(z)       = (c5/2) |z − z*|² + g0

with a constant target z* = target·1_d and initial law Z_0 = s·1_d, s ~ U[m0 − spread, m0 + spread]
(the paper's Z_0 ~ U{s·1_d}). The reference equilibrium is in ``reference.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class LQProblem:
    """Coefficients of one LQ mean-field game (all coordinates treated alike)."""

    d: int
    """State dimension."""
    T: float = 1.0
    """Horizon."""
    c0: float = 0.0
    """Pull of the drift towards the population mean."""
    c1: float = 0.0
    """Pull of the drift from the mean towards the target."""
    c2: float = 1.0
    """Control cost weight (> 0)."""
    c3: float = 1.0
    """Running cost weight of |z − m̄|², before division by d when ``per_dim``."""
    c4: float = 0.0
    """Running cost weight of |z − z*|², before division by d when ``per_dim``."""
    c5: float = 1.0
    """Terminal cost weight of |z − z*|², before division by d when ``per_dim``."""
    sigma: float = 0.5
    """Noise scale c_σ, before division by √d when ``per_dim``."""
    target: float = 1.0
    """z* = target·1_d."""
    m0: float = 0.0
    """Centre of the initial law s·1_d."""
    spread: float = 1.0
    """Half-width of the uniform law of s."""
    g0: float = 0.5
    """Constant in the terminal cost (the paper's +½ keeps J* away from 0)."""
    per_dim: bool = True
    """Scale c3, c4, c5 by 1/d and σ by 1/√d, as LQ-1 does (c3 = c5 = 1/d, c_σ = 0.5/√d)."""

    def __post_init__(self) -> None:
        if self.d < 1:
            raise ValueError(f"d must be >= 1, got {self.d}")
        if self.c2 <= 0:
            raise ValueError(f"c2 must be > 0, got {self.c2}")
        if self.T <= 0 or self.sigma < 0 or self.spread < 0:
            raise ValueError("T must be > 0, sigma and spread >= 0")

    # effective (dimension-scaled) coefficients
    @property
    def q3(self) -> float:
        return self.c3 / self.d if self.per_dim else self.c3

    @property
    def q4(self) -> float:
        return self.c4 / self.d if self.per_dim else self.c4

    @property
    def q5(self) -> float:
        return self.c5 / self.d if self.per_dim else self.c5

    @property
    def sig(self) -> float:
        return self.sigma / math.sqrt(self.d) if self.per_dim else self.sigma

    def zstar(self, like: torch.Tensor) -> torch.Tensor:
        return torch.full((self.d,), self.target, dtype=like.dtype, device=like.device)

    def drift(self, z: torch.Tensor, mbar: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
        """b_z(z, m̄, u); ``mbar`` broadcasts against ``z`` (one row per particle or one for all)."""
        return u + self.c0 * (mbar - z) + self.c1 * (self.zstar(z) - mbar)

    def running_cost(self, z: torch.Tensor, mbar: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
        """f(z, m̄, u), one value per row."""
        zs = self.zstar(z)
        return 0.5 * (
            self.c2 * (u * u).sum(-1)
            + self.q3 * ((z - mbar) ** 2).sum(-1)
            + self.q4 * ((z - zs) ** 2).sum(-1)
        )

    def terminal_cost(self, z: torch.Tensor) -> torch.Tensor:
        """g(z), one value per row."""
        return 0.5 * self.q5 * ((z - self.zstar(z)) ** 2).sum(-1) + self.g0

    def sample_initial(
        self, n: int, generator: torch.Generator | None = None, device: str | torch.device = "cpu"
    ) -> torch.Tensor:
        """n draws of Z_0 = s·1_d."""
        s = self.m0 + self.spread * (2 * torch.rand(n, 1, generator=generator, device=device) - 1)
        return s.expand(n, self.d).clone()

    def initial_second_moment(self) -> float:
        """E|Z_0|² = d (m0² + spread²/3)."""
        return self.d * (self.m0**2 + self.spread**2 / 3)
