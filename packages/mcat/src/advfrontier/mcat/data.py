"""Long-tailed training sets (exponential profile) with balanced test sets.

Class i keeps n_max·ρ^(−i/(C−1)) training examples (Cui et al., 2019), so class index = frequency rank.
The test split is left as it is (balanced for CIFAR; digits' test split is near-balanced and every
metric also has a balanced, per-class-mean version). Real data are read from a local directory only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

from advfrontier.shared.data.catalog import load_image_dataset
from advfrontier.shared.data.longtail import long_tail_indices
from advfrontier.shared.data.splits import Split


@dataclass(frozen=True)
class LongTailData:
    train: Split
    test: Split
    num_classes: int
    counts: Tensor
    """Training examples per class (class index order)."""
    val: Split | None = None
    """Held-out images of the original (balanced) training split for tuning; never the test split."""


def load_long_tailed(
    dataset: str,
    imbalance_ratio: float,
    data_dir: str | Path | None = None,
    data_seed: int = 0,
    val_size: int = 0,
    pool_size: int | None = None,
) -> LongTailData:
    """``dataset`` (digits, cifar10, cifar100, …) with its training split cut to an exponential long tail.

    ``val_size`` training images are held out (balanced) before the cut, for tuning; the paper scale
    keeps all (0), so n_max is 5,000 on CIFAR-10 and 500 on CIFAR-100, as in CIFAR-10/100-LT. Digits
    always has its fixed validation split (359 images). ``pool_size`` keeps only the first that many
    training images before the cut (the `real` scale's time budget), so n_max shrinks with it.
    """
    splits = load_image_dataset(dataset, data_dir, split_seed=data_seed, val_size=val_size)
    pool = splits.train
    if pool_size is not None:
        pool = pool.subset(range(min(pool_size, len(pool))))
    keep = long_tail_indices(pool.y, imbalance_ratio, seed=data_seed)
    train = pool.subset(keep)
    counts = torch.bincount(train.y, minlength=splits.num_classes)
    val = splits.val if len(splits.val) else None
    return LongTailData(train, splits.test, splits.num_classes, counts, val)
