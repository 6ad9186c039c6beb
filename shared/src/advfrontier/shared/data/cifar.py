"""CIFAR-10/100 from the python pickles (Krizhevsky, 2009), read from a local directory."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import torch

from advfrontier.shared.data.errors import require_all, resolve_data_dir
from advfrontier.shared.data.splits import Split

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR100_URL = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"


def _load_pickle(path: Path) -> dict:
    with path.open("rb") as f:
        return pickle.load(f, encoding="latin1")


def _to_split(batches: list[dict], label_key: str) -> Split:
    data = np.concatenate([b["data"] for b in batches]).reshape(-1, 3, 32, 32)
    labels = np.concatenate([np.asarray(b[label_key]) for b in batches])
    return Split(torch.from_numpy(data.astype(np.float32) / 255.0), torch.from_numpy(labels.astype(np.int64)))


def read_cifar10(data_dir: str | Path | None = None, train: bool = True) -> Split:
    """``<data_dir>/cifar-10-batches-py/{data_batch_1..5,test_batch}`` as images in [0, 1]."""
    root = resolve_data_dir(data_dir, "CIFAR-10") / "cifar-10-batches-py"
    names = [f"data_batch_{i}" for i in range(1, 6)] if train else ["test_batch"]
    layout = (
        f"{root}/data_batch_1 … data_batch_5 and test_batch exist (extract the tarball into the data dir)"
    )
    every = [root / f"data_batch_{i}" for i in range(1, 6)] + [root / "test_batch"]
    require_all(every, "CIFAR-10", CIFAR10_URL, layout)  # all six named at once
    files = [root / n for n in names]
    return _to_split([_load_pickle(f) for f in files], "labels")


def read_cifar100(data_dir: str | Path | None = None, train: bool = True) -> Split:
    """``<data_dir>/cifar-100-python/{train,test}`` (fine labels) as images in [0, 1]."""
    root = resolve_data_dir(data_dir, "CIFAR-100") / "cifar-100-python"
    layout = f"{root}/train and {root}/test exist (extract the tarball into the data dir)"
    require_all([root / "train", root / "test"], "CIFAR-100", CIFAR100_URL, layout)
    f = root / ("train" if train else "test")
    return _to_split([_load_pickle(f)], "fine_labels")
