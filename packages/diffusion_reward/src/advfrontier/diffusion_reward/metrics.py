"""How well a recovered reward matches the truth: within-state Spearman and pooled Pearson correlations."""

from __future__ import annotations

import torch


def _ranks(x: torch.Tensor) -> torch.Tensor:
    """Ranks along the last dimension (0 … M−1; ties broken by order, fine for continuous values)."""
    return x.argsort(dim=-1).argsort(dim=-1).double()


def pearson(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Pearson correlation along the last dimension."""
    x, y = x.double() - x.double().mean(-1, keepdim=True), y.double() - y.double().mean(-1, keepdim=True)
    return (x * y).sum(-1) / torch.sqrt((x**2).sum(-1) * (y**2).sum(-1)).clamp_min(1e-300)


def within_state_spearman(pred: torch.Tensor, true: torch.Tensor) -> float:
    """Mean over states (rows) of the Spearman correlation across actions; ignores offsets c(s)."""
    return float(pearson(_ranks(pred), _ranks(true)).mean())


def pooled_pearson(pred: torch.Tensor, true: torch.Tensor) -> float:
    """Pearson correlation over all (state, action) pairs; state offsets of ``pred`` do matter."""
    return float(pearson(pred.reshape(-1), true.reshape(-1)))
