"""Data: resizing to 2^n pixels, class selection, the real IDX loaders and the paper config on tiny files."""

from __future__ import annotations

import math
import struct
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from advfrontier.qae.config import PAPER_SCALE, QAEConfig
from advfrontier.qae.data import load_splits, resize, select
from advfrontier.qae.paper import run
from advfrontier.shared.data import DataNotFoundError, Split


def test_resize_pads_centred_and_area_downsamples() -> None:
    x = torch.rand(3, 1, 28, 28)
    padded = resize(x, 32)
    assert padded.shape[-1] == 32
    torch.testing.assert_close(padded[..., 2:30, 2:30], x)
    assert float(padded.sum()) == pytest.approx(float(x.sum()), rel=1e-6)
    torch.testing.assert_close(resize(x, 28), x)
    block = torch.arange(64.0).reshape(1, 1, 8, 8)
    assert float(resize(block, 4)[0, 0, 1, 2]) == pytest.approx(float(block[0, 0, 2:4, 4:6].mean()))


def test_select_relabels_and_keeps_only_the_classes() -> None:
    split = Split(torch.rand(10, 1, 8, 8), torch.tensor([0, 5, 3, 5, 9, 3, 0, 1, 5, 3]))
    out = select(split, (3, 5), side=8, limit=None, seed=0)
    assert out.y.tolist() == [1, 0, 1, 0, 1, 0]
    torch.testing.assert_close(out.x[0], split.x[1])


def test_config_checks_have_clear_messages() -> None:
    with pytest.raises(ValueError, match="power of two"):
        QAEConfig(image_side=7)
    with pytest.raises(ValueError, match="classes"):
        QAEConfig(classes=tuple(range(7)))
    with pytest.raises(ValueError, match="qae_trash"):
        QAEConfig(qae_trash=6)
    with pytest.raises(ValueError, match="data set"):
        QAEConfig(datasets=("imagenet",))


def _write_idx(path: Path, arr: np.ndarray) -> None:
    header = struct.pack(">BBBB", 0, 0, 0x08, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape)
    path.write_bytes(header + arr.astype(np.uint8).tobytes())


def _tiny_idx(root: Path, variant: str, n_train: int, n_test: int) -> None:
    rng = np.random.default_rng(0)
    d = root / variant
    d.mkdir(parents=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        _write_idx(d / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, size=(n, 28, 28)))
        _write_idx(d / f"{prefix}-labels-idx1-ubyte", np.arange(n) % 10)


def test_real_loader_names_the_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError, match="train-images-idx3-ubyte"):
        load_splits("mnist", (0, 1), 32, tmp_path)


def test_paper_config_runs_two_steps_on_tiny_idx_files(tmp_path: Path) -> None:
    for variant in PAPER_SCALE.datasets:
        _tiny_idx(tmp_path, variant, n_train=40, n_test=10)
    cfg = replace(
        PAPER_SCALE, device="cpu", data_dir=str(tmp_path), holdout=20, train_size=16, val_size=10,
        test_size=10, clf_epochs=1, qae_epochs=1, cae_epochs=1, clf_batch=8, qae_batch=8, cae_batch=8,
        pgd_steps=2,
    )  # fmt: skip
    assert cfg.n_qubits == 10 and len(cfg.classes) == 10
    metrics = run(cfg, seed=0)
    for variant in PAPER_SCALE.datasets:
        # the paper's 120-parameter QAE: 10 qubits × 4 layers × 3 angles
        assert metrics[f"qae@{variant}/purifier_params"] == 120
        for key in ("no_defence", "cae", "qae", "qae_pp"):
            assert 0 <= metrics[f"{key}@{variant}/pgd_acc"] <= 100
    assert all(math.isfinite(v) for v in metrics.values())


def test_real_config_runs_a_few_steps_on_packaged_mnist() -> None:
    from advfrontier.qae.config import REAL

    assert REAL.n_qubits == 10 and REAL.seeds >= 3 and REAL.packaged
    data = load_splits("mnist", REAL.classes, REAL.image_side, None, 40, 20, 12, REAL.holdout, packaged=True)
    assert tuple(data.train.x.shape[1:]) == (1, 32, 32) and float(data.train.x.max()) <= 1.0
    assert float(data.train.x[..., :2, :].abs().max()) == 0.0  # zero padding around the 28×28 digit
    cfg = replace(
        REAL, train_size=24, val_size=20, test_size=8, clf_epochs=1, qae_epochs=1, cae_epochs=1,
        clf_layers=1, qae_layers=1, pgd_steps=1, clf_batch=24, qae_batch=24, cae_batch=24,
    )  # fmt: skip
    m = run(cfg, seed=0)
    assert m["qae/purifier_params"] == 3 * 10 * 1 and all(math.isfinite(v) for v in m.values())
    assert {"qae_pp/worst_acc", "cae_combined/detector_pgd_acc", "no_defence_margin/auroc"} <= set(m)
