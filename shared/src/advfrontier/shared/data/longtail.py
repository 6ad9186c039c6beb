"""Long-tailed subsampling with an exponential profile (Cui et al., 2019; Cao et al., 2019).

Class i (sorted by index) keeps n_i = n_max · ρ^(−i/(C−1)) examples, where ρ = n_max / n_min is the
imbalance ratio; ρ = 1 leaves the classes balanced.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor


def long_tail_counts(n_max: int, num_classes: int, imbalance_ratio: float) -> list[int]:
    """Per-class counts n_i = floor(n_max · ρ^(−i/(C−1))), at least 1."""
    if imbalance_ratio < 1:
        raise ValueError(f"imbalance ratio must be >= 1, got {imbalance_ratio}")
    if num_classes < 1 or n_max < 1:
        raise ValueError(f"need num_classes >= 1 and n_max >= 1, got {num_classes}, {n_max}")
    if num_classes == 1:
        return [n_max]
    return [max(1, int(n_max * imbalance_ratio ** (-i / (num_classes - 1)))) for i in range(num_classes)]


def long_tail_indices(labels: Tensor | np.ndarray, imbalance_ratio: float, seed: int) -> np.ndarray:
    """Indices of a long-tailed subset of ``labels``; n_max is the smallest class size present."""
    y = labels.numpy() if isinstance(labels, Tensor) else np.asarray(labels)
    classes = np.unique(y)
    n_max = int(min((y == c).sum() for c in classes))
    counts = long_tail_counts(n_max, len(classes), imbalance_ratio)
    rng = np.random.default_rng(seed)
    keep = [rng.permutation(np.flatnonzero(y == c))[:k] for c, k in zip(classes, counts, strict=True)]
    return np.sort(np.concatenate(keep))


def class_counts(labels: Tensor, num_classes: int) -> Tensor:
    return torch.bincount(labels, minlength=num_classes)
