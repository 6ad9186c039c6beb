"""Particles for the occupation measure and the one-step random map Φ of the regenerative reformulation.

A particle is x = (t, z) with t on the grid {0, h, …, T} (stored as the index n = t/h). The regenerative
chain moves a particle by

    Φ(x, μ, u) = (t + h, z + h b_z(z, m̄_t, u(x)) + σ √h ζ),   ζ ~ N(0, I_d),   for t ∈ Π_h = {0, …, T − h}
    Φ(x, μ, u) = (0, ξ),  ξ ~ law of Z_0,                                         for t = T (reset),

whose invariant law is the equilibrium occupation measure (uniform in t on the grid, Z_t given t).
Only a minibatch of particles moves per iteration; the empirical measure μ_i enters through the per-time
means m̄_t, kept as running sums.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from advfrontier.mfg.lq import LQProblem

Control = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
"""u(t, z) -> controls, rows aligned with z."""


def step_map(
    problem: LQProblem,
    n: torch.Tensor,
    z: torch.Tensor,
    means: torch.Tensor,
    u: torch.Tensor,
    steps: int,
    zeta: torch.Tensor,
    reset: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Φ for rows (n_k, z_k) given controls u, Gaussian noise ζ and fresh initial states (used at n = N)."""
    h = problem.T / steps
    at_end = n == steps
    n_safe = torch.clamp(n, max=steps - 1)
    moved = z + h * problem.drift(z, means[n_safe], u) + problem.sig * math.sqrt(h) * zeta
    z_next = torch.where(at_end[:, None], reset, moved)
    n_next = torch.where(at_end, torch.zeros_like(n), n + 1)
    return n_next, z_next


def times(n: torch.Tensor, problem: LQProblem, steps: int) -> torch.Tensor:
    """t = n h as a float column."""
    return n.to(torch.get_default_dtype()) * (problem.T / steps)


class Particles:
    """M particles approximating the occupation measure, with per-time running means."""

    def __init__(
        self, problem: LQProblem, steps: int, count: int, shift: float, device: str | torch.device = "cpu",
        chunk: int = 65536,
    ) -> None:  # fmt: skip
        """Start from the deliberately far measure Z_0 + shift·t·1_d + σ B_t (t uniform on the grid).

        Built ``chunk`` particles at a time, so that the only full-size tensor is the state itself
        (at d = 10,000 and M = 1.024M: 41 GB in fp32, no full-size temporaries).
        """
        self.p, self.steps, self.device = problem, steps, device
        self.n = torch.arange(count, device=device) % (steps + 1)
        self.z = torch.empty(count, problem.d, device=device)
        self.sums = torch.zeros(steps + 1, problem.d, dtype=torch.float64, device=device)
        self.counts = torch.zeros(steps + 1, dtype=torch.float64, device=device)
        for lo in range(0, count, chunk):
            hi = min(lo + chunk, count)
            n = self.n[lo:hi]
            t = times(n, problem, steps)[:, None]
            z = problem.sample_initial(hi - lo, device=device)
            z += shift * t + problem.sig * t.sqrt() * torch.randn(hi - lo, problem.d, device=device)
            self.z[lo:hi] = z
            self.sums.index_add_(0, n, z.double())
            self.counts.index_add_(0, n, torch.ones(hi - lo, dtype=torch.float64, device=device))

    def __len__(self) -> int:
        return self.n.shape[0]

    def means(self) -> torch.Tensor:
        """m̄_t of the empirical measure for every grid time (zero where a slice is empty)."""
        return (self.sums / self.counts.clamp(min=1.0)[:, None]).to(self.z.dtype)

    def move(self, idx: torch.Tensor, control: Control) -> None:
        """X^m ← Φ(X^m, μ_{i−1}, u) for m in the minibatch idx; the other particles stay."""
        n, z = self.n[idx], self.z[idx]
        with torch.no_grad():
            u = control(times(n, self.p, self.steps)[:, None], z)
            zeta = torch.randn_like(z)
            reset = self.p.sample_initial(len(idx), device=z.device)
            n2, z2 = step_map(self.p, n, z, self.means(), u, self.steps, zeta, reset)
        self.sums.index_add_(0, n, -z.double())
        ones = torch.ones(len(idx), dtype=torch.float64, device=z.device)
        self.counts.index_add_(0, n, -ones)
        self.sums.index_add_(0, n2, z2.double())
        self.counts.index_add_(0, n2, ones)
        self.n[idx], self.z[idx] = n2, z2
