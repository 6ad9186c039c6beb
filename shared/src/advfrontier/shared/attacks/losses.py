"""Per-example attack losses on logits: cross-entropy and the Carlini–Wagner margin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor

LossName = Literal["ce", "cw"]


def ce_loss(logits: Tensor, y: Tensor) -> Tensor:
    """Per-example cross-entropy."""
    return F.cross_entropy(logits, y, reduction="none")


def cw_margin_loss(logits: Tensor, y: Tensor, kappa: float = 50.0) -> Tensor:
    """min(max_{j≠y} z_j − z_y, κ): positive once y is not the top class (CW∞, Carlini & Wagner 2017)."""
    true = logits.gather(1, y[:, None]).squeeze(1)
    others = logits.masked_fill(F.one_hot(y, logits.shape[1]).bool(), float("-inf"))
    return torch.clamp(others.max(dim=1).values - true, max=kappa)


def get_loss(name: LossName, kappa: float = 50.0) -> Callable[[Tensor, Tensor], Tensor]:
    if name == "ce":
        return ce_loss
    if name == "cw":
        return lambda z, y: cw_margin_loss(z, y, kappa)
    raise ValueError(f"unknown attack loss {name!r}; expected 'ce' or 'cw'")
