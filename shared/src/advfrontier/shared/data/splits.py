"""Train/val/test splits fixed by a seed, and the tensors that hold them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor


@dataclass(frozen=True)
class Split:
    """Images in [0, 1] as (N, C, H, W) float tensors and integer labels."""

    x: Tensor
    y: Tensor

    def __post_init__(self) -> None:
        if len(self.x) != len(self.y):
            raise ValueError(f"x has {len(self.x)} rows but y has {len(self.y)}")

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, idx: Sequence[int] | np.ndarray | Tensor) -> Split:
        i = torch.as_tensor(np.asarray(idx), dtype=torch.long)
        return Split(self.x[i], self.y[i])


@dataclass(frozen=True)
class Splits:
    train: Split
    val: Split
    test: Split
    num_classes: int


def split_indices(n: int, fractions: Sequence[float], seed: int) -> list[np.ndarray]:
    """Shuffle range(n) with ``seed`` and cut it by ``fractions`` (the last part takes the rest)."""
    if n < 0 or not fractions or any(f < 0 for f in fractions) or sum(fractions) > 1 + 1e-9:
        raise ValueError(f"bad split: n={n}, fractions={list(fractions)}")
    perm = np.random.default_rng(seed).permutation(n)
    cuts = np.floor(np.cumsum(fractions[:-1]) * n).astype(int)
    return list(np.split(perm, cuts))
