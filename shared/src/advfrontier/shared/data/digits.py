"""scikit-learn's bundled digits (1,797 8×8 images, 10 classes): the default image data set.

Pixels 0..16 are scaled to [0, 1]. The split (train/val/test) is fixed by ``split_seed`` and does not
depend on the training seed, so every seed is evaluated on the same test set.
"""

from __future__ import annotations

import torch
from sklearn.datasets import load_digits

from advfrontier.shared.data.splits import Split, Splits, split_indices


def load_digits_splits(
    split_seed: int = 0, fractions: tuple[float, float, float] = (0.6, 0.2, 0.2)
) -> Splits:
    """Digits as (N, 1, 8, 8) tensors in [0, 1], split train/val/test by ``split_seed``."""
    d = load_digits()
    x = torch.tensor(d.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(d.target, dtype=torch.long)
    full = Split(x, y)
    tr, va, te = split_indices(len(y), fractions, split_seed)
    return Splits(full.subset(tr), full.subset(va), full.subset(te), num_classes=10)
