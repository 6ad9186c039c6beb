"""Tiny-ImageNet-200 from its folder layout (train/<wnid>/images/*.JPEG, val/images + val_annotations.txt)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from advfrontier.shared.data.errors import require, require_all, resolve_data_dir
from advfrontier.shared.data.splits import Split

SOURCE = "http://cs231n.stanford.edu/tiny-imagenet-200.zip"


def _read_image(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.uint8)


def read_tiny_imagenet(
    data_dir: str | Path | None = None, train: bool = True, limit: int | None = None
) -> Split:
    """Images (N, 3, 64, 64) in [0, 1]; labels index the sorted ``wnids.txt``. ``limit`` caps per class."""
    root = resolve_data_dir(data_dir, "Tiny-ImageNet") / "tiny-imagenet-200"
    layout = f"{root}/wnids.txt, {root}/train/<wnid>/images/*.JPEG and {root}/val/val_annotations.txt exist"
    require_all(
        [root / "wnids.txt", root / "train", root / "val" / "val_annotations.txt"],
        "Tiny-ImageNet",
        SOURCE,
        layout,
    )
    wnids = sorted((root / "wnids.txt").read_text().split())
    index = {w: i for i, w in enumerate(wnids)}
    items: list[tuple[Path, int]] = []
    if train:
        for w in wnids:
            folder = require(root / "train" / w / "images", "Tiny-ImageNet", SOURCE, layout)
            files = sorted(folder.glob("*.JPEG"))[:limit]
            items += [(f, index[w]) for f in files]
    else:
        ann = require(root / "val" / "val_annotations.txt", "Tiny-ImageNet", SOURCE, layout)
        seen: dict[int, int] = {}
        for line in ann.read_text().splitlines():
            name, wnid = line.split("\t")[:2]
            c = index[wnid]
            if limit is not None and seen.get(c, 0) >= limit:
                continue
            seen[c] = seen.get(c, 0) + 1
            items.append((root / "val" / "images" / name, c))
    if not items:
        raise FileNotFoundError(f"Tiny-ImageNet at {root} holds no images")
    x = np.stack([_read_image(p) for p, _ in items]).transpose(0, 3, 1, 2)
    y = np.array([c for _, c in items], dtype=np.int64)
    return Split(torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(y))
