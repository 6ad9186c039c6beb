"""MNIST and Fashion-MNIST from their IDX files (LeCun et al.), plain or gzipped, read locally."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import torch

from advfrontier.shared.data.errors import DataNotFoundError, require, require_all, resolve_data_dir
from advfrontier.shared.data.splits import Split

_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
SOURCES = {
    "mnist": "https://yann.lecun.com/exdb/mnist/ (or any mirror of the four IDX files)",
    "fashion_mnist": "https://github.com/zalandoresearch/fashion-mnist (data/fashion)",
}


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (magic 0x00 0x00 type ndim, big-endian dims, then data)."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _DTYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic {raw[:4].hex()})")
    ndim = raw[3]
    dims = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    arr = np.frombuffer(raw, dtype=_DTYPES[raw[2]], offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: header says {dims} but holds {arr.size} values")
    return arr.reshape(dims)


def _find(root: Path, stem: str, what: str, source: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (root / name).exists():
            return root / name
    layout = f"{root}/{stem} (or {stem}.gz) exists"
    return require(root / stem, what, source, layout)


def read_mnist(data_dir: str | Path | None = None, train: bool = True, variant: str = "mnist") -> Split:
    """``<data_dir>/<variant>/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]`` as images in [0, 1]."""
    if variant not in SOURCES:
        raise DataNotFoundError(f"unknown IDX data set {variant!r}; expected one of {sorted(SOURCES)}")
    root = resolve_data_dir(data_dir, variant) / variant
    prefix = "train" if train else "t10k"
    stems = [f"{p}-{k}" for p in ("train", "t10k") for k in ("images-idx3-ubyte", "labels-idx1-ubyte")]
    absent = [root / s for s in stems if not (root / s).exists() and not (root / f"{s}.gz").exists()]
    layout = f"{root}/<name> (or <name>.gz) exists for each of the four IDX files"
    require_all(absent, variant, SOURCES[variant], layout)  # every missing one at once
    images = read_idx(_find(root, f"{prefix}-images-idx3-ubyte", variant, SOURCES[variant]))
    labels = read_idx(_find(root, f"{prefix}-labels-idx1-ubyte", variant, SOURCES[variant]))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return Split(x, torch.from_numpy(labels.astype(np.int64)))
