"""Population statistics of generated features: a feature queue or an EMA, in float64.

The paper's key point: the Gaussian fit of the generated distribution is taken over a population far
larger than one batch. Queue mode keeps the last N features; the current batch (with its gradient)
replaces the slice at the pointer, μ and Σ are taken over all N rows, then the detached batch is
enqueued. A queue of the batch's size is batch-only statistics (the ablation). EMA mode keeps
μ̄ and the second moment S̄ and mixes the batch in with weight 1 − β.
"""

from __future__ import annotations

import torch
from torch import Tensor


class FeatureQueue:
    """A ring buffer of ``size`` feature rows; ``stats(batch)`` is differentiable in ``batch``."""

    def __init__(self, size: int, dim: int, device: str | torch.device = "cpu") -> None:
        if size < 2:
            raise ValueError(f"queue size must be >= 2, got {size}")
        self.size = size
        self.buf = torch.zeros(size, dim, dtype=torch.float64, device=device)
        self.ptr = 0
        self.filled = 0

    def _slots(self, n: int) -> Tensor:
        return (self.ptr + torch.arange(n, device=self.buf.device)) % self.size

    def fill(self, feats: Tensor) -> None:
        """Enqueue detached rows (used to warm the queue up before training)."""
        feats = feats.detach().double()
        if len(feats) > self.size:
            feats = feats[-self.size :]
        slots = self._slots(len(feats))
        self.buf[slots] = feats
        self.ptr = int((self.ptr + len(feats)) % self.size)
        self.filled = min(self.size, self.filled + len(feats))

    def population(self, batch: Tensor) -> Tensor:
        """The queue's rows with the batch in the slots it will occupy (gradient flows to the batch)."""
        if len(batch) > self.size:
            raise ValueError(f"batch of {len(batch)} exceeds queue size {self.size}")
        batch = batch.double()
        if self.filled < self.size:  # warming up: the rows so far, then the batch (the last `size` rows)
            return torch.cat([self.buf[: self.filled], batch])[-self.size :]
        slots = self._slots(len(batch))
        mask = torch.zeros(self.size, 1, dtype=torch.float64, device=self.buf.device)
        mask[slots] = 1.0
        placed = torch.zeros_like(self.buf).index_copy(0, slots, batch)
        return self.buf * (1.0 - mask) + placed

    def stats(self, batch: Tensor) -> tuple[Tensor, Tensor]:
        """μ and Σ (unbiased) over the queue with the batch in place; then enqueue the detached batch."""
        rows = self.population(batch)
        mu = rows.mean(0)
        xc = rows - mu
        sigma = xc.T @ xc / (rows.shape[0] - 1)
        self.fill(batch)
        return mu, sigma


class EMAStats:
    """μ = β μ̄ + (1−β) mean(f); S = β S̄ + (1−β) fᵀf/B; Σ = S − μμᵀ (float64)."""

    def __init__(self, beta: float, init: Tensor) -> None:
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"beta must be in [0, 1), got {beta}")
        self.beta = beta
        init = init.detach().double()
        self.mu = init.mean(0)
        self.second = init.T @ init / len(init)

    def stats(self, batch: Tensor) -> tuple[Tensor, Tensor]:
        """Differentiable μ, Σ with the batch mixed in; the running moments take the detached values."""
        f = batch.double()
        mu = self.beta * self.mu + (1.0 - self.beta) * f.mean(0)
        second = self.beta * self.second + (1.0 - self.beta) * (f.T @ f) / len(f)
        self.mu, self.second = mu.detach(), second.detach()
        return mu, second - torch.outer(mu, mu)
