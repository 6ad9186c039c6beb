"""Readers round-trip files written in each real format; missing files name what to get."""

from __future__ import annotations

import gzip
import pickle
import struct
from pathlib import Path

import numpy as np
import pytest
import torch

from advfrontier.shared.data import (
    DataNotFoundError,
    load_digits_splits,
    load_image_dataset,
    long_tail_counts,
    long_tail_indices,
    read_cifar10,
    read_cifar100,
    read_idx,
    read_mnist,
    read_tiny_imagenet,
    split_indices,
)

RNG = np.random.default_rng(0)


def write_cifar10(root: Path, n: int = 6) -> dict[str, tuple[np.ndarray, list[int]]]:
    d = root / "cifar-10-batches-py"
    d.mkdir(parents=True)
    written = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = RNG.integers(0, 256, size=(n, 3072), dtype=np.uint8)
        labels = RNG.integers(0, 10, size=n).tolist()
        with (d / name).open("wb") as f:
            pickle.dump({"data": data, "labels": labels}, f)
        written[name] = (data, labels)
    return written


def test_cifar10_round_trip(tmp_path: Path) -> None:
    written = write_cifar10(tmp_path)
    train = read_cifar10(tmp_path, train=True)
    test = read_cifar10(tmp_path, train=False)
    assert train.x.shape == (30, 3, 32, 32) and len(test) == 6
    data, labels = written["test_batch"]
    assert torch.equal(test.y, torch.tensor(labels))
    # channel-major rows: the first 1024 bytes are the red plane
    assert torch.allclose(test.x[2, 0].flatten(), torch.tensor(data[2, :1024] / 255.0, dtype=torch.float32))


def test_cifar100_fine_labels(tmp_path: Path) -> None:
    d = tmp_path / "cifar-100-python"
    d.mkdir()
    data = RNG.integers(0, 256, size=(4, 3072), dtype=np.uint8)
    for name in ("train", "test"):
        with (d / name).open("wb") as f:
            pickle.dump({"data": data, "fine_labels": [99, 0, 5, 7], "coarse_labels": [1, 1, 1, 1]}, f)
    assert read_cifar100(tmp_path, train=False).y.tolist() == [99, 0, 5, 7]


def _write_idx(path: Path, arr: np.ndarray, gz: bool) -> None:
    header = bytes([0, 0, 0x08, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    raw = header + arr.astype(np.uint8).tobytes()
    if gz:
        with gzip.open(str(path) + ".gz", "wb") as f:
            f.write(raw)
    else:
        path.write_bytes(raw)


@pytest.mark.parametrize("gz", [False, True])
def test_mnist_idx_round_trip(tmp_path: Path, gz: bool) -> None:
    root = tmp_path / "fashion_mnist"
    root.mkdir()
    images = RNG.integers(0, 256, size=(5, 28, 28))
    labels = np.array([3, 1, 4, 1, 5])
    _write_idx(root / "t10k-images-idx3-ubyte", images, gz)
    _write_idx(root / "t10k-labels-idx1-ubyte", labels, gz)
    split = read_mnist(tmp_path, train=False, variant="fashion_mnist")
    assert split.y.tolist() == [3, 1, 4, 1, 5]
    assert torch.allclose(split.x[:, 0], torch.tensor(images / 255.0, dtype=torch.float32))


def test_idx_rejects_bad_magic(tmp_path: Path) -> None:
    p = tmp_path / "bad"
    p.write_bytes(b"\x01\x02\x03\x04")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(p)


def test_tiny_imagenet_folder_layout(tmp_path: Path) -> None:
    from PIL import Image

    root = tmp_path / "tiny-imagenet-200"
    wnids = ["n02", "n01"]
    (root / "val" / "images").mkdir(parents=True)
    (root / "wnids.txt").write_text("\n".join(wnids))
    colours = {"n01": (250, 0, 0), "n02": (0, 0, 250)}
    lines = []
    for w in wnids:
        (root / "train" / w / "images").mkdir(parents=True)
        for i in range(2):
            Image.new("RGB", (64, 64), colours[w]).save(root / "train" / w / "images" / f"{w}_{i}.JPEG")
        Image.new("RGB", (64, 64), colours[w]).save(root / "val" / "images" / f"val_{w}.JPEG")
        lines.append(f"val_{w}.JPEG\t{w}\t0\t0\t63\t63")
    (root / "val" / "val_annotations.txt").write_text("\n".join(lines))
    train = read_tiny_imagenet(tmp_path, train=True)
    val = read_tiny_imagenet(tmp_path, train=False)
    assert train.x.shape == (4, 3, 64, 64) and sorted(train.y.tolist()) == [0, 0, 1, 1]
    # labels index the sorted wnids: n01 (red) is class 0
    red = train.x[train.y == 0][:, 0].mean()
    assert red > 0.9 and val.y.tolist() == [1, 0]


def test_missing_files_name_the_file_and_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(
        DataNotFoundError, match=r"(?s)data_batch_1.*data_batch_5.*test_batch.*cifar-10-python.tar.gz"
    ):
        read_cifar10(tmp_path)
    with pytest.raises(DataNotFoundError, match="t10k-images-idx3-ubyte"):
        read_mnist(tmp_path, train=False)
    monkeypatch.delenv("ADVFRONTIER_DATA", raising=False)
    with pytest.raises(DataNotFoundError, match="--data-dir"):
        load_image_dataset("cifar10", None)
    monkeypatch.setenv("ADVFRONTIER_DATA", str(tmp_path))
    write_cifar10(tmp_path)
    splits = load_image_dataset("cifar10", None, val_size=5)
    assert (len(splits.train), len(splits.val), len(splits.test)) == (25, 5, 6)
    with pytest.raises(ValueError, match="leaves no training images"):
        load_image_dataset("cifar10", None, val_size=30)


def test_long_tail_profile_is_exponential_with_the_ratio() -> None:
    counts = long_tail_counts(500, 10, 100)
    assert counts[0] == 500 and counts[-1] == 5
    exact = 500 * 100 ** (-np.arange(10) / 9)
    assert (np.abs(np.array(counts) - exact) < 1).all()  # floor of the exponential profile
    y = load_digits_splits(0).train.y
    idx = long_tail_indices(y, 10, seed=0)
    per_class = torch.bincount(y[idx], minlength=10)
    assert per_class[0] / per_class[9] == pytest.approx(10, rel=0.15)
    assert (np.diff(per_class.numpy()) <= 0).all()
    assert np.array_equal(idx, long_tail_indices(y, 10, seed=0))
    with pytest.raises(ValueError, match="imbalance ratio"):
        long_tail_counts(10, 3, 0.5)


def test_splits_are_fixed_by_seed_and_partition() -> None:
    a = split_indices(100, [0.6, 0.2, 0.2], seed=3)
    b = split_indices(100, [0.6, 0.2, 0.2], seed=3)
    assert all(np.array_equal(p, q) for p, q in zip(a, b, strict=True))
    assert sorted(np.concatenate(a).tolist()) == list(range(100))
    assert [len(p) for p in a] == [60, 20, 20]
    assert not np.array_equal(a[0], split_indices(100, [0.6, 0.2, 0.2], seed=4)[0])
    d = load_digits_splits(0)
    assert d.train.x.min() >= 0 and d.train.x.max() <= 1 and d.num_classes == 10
