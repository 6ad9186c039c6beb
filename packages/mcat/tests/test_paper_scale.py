"""The paper config on tiny CIFAR files in the real pickle format; clear errors when data are missing."""

import math
import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from advfrontier.mcat.config import METHODS, PAPER_SCALE
from advfrontier.mcat.data import load_long_tailed
from advfrontier.mcat.paper import run
from advfrontier.shared.data import DataNotFoundError, long_tail_counts


def _batch(n: int, classes: int, key: str, rng: np.random.Generator) -> dict:
    labels = np.tile(np.arange(classes), n // classes)
    return {"data": rng.integers(0, 256, (len(labels), 3072), dtype=np.uint8), key: labels.tolist()}


def _write(path: Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(obj))


def make_tiny_cifar(root: Path, per_class: int = 10) -> Path:
    rng = np.random.default_rng(0)
    for i in range(1, 6):
        _write(
            root / "cifar-10-batches-py" / f"data_batch_{i}", _batch(10 * per_class // 5, 10, "labels", rng)
        )
    _write(root / "cifar-10-batches-py" / "test_batch", _batch(20, 10, "labels", rng))
    _write(root / "cifar-100-python" / "train", _batch(100 * per_class, 100, "fine_labels", rng))
    _write(root / "cifar-100-python" / "test", _batch(100, 100, "fine_labels", rng))
    return root


def test_cifar100_long_tail_follows_the_exponential_profile(tmp_path: Path) -> None:
    root = make_tiny_cifar(tmp_path, per_class=10)
    data = load_long_tailed("cifar100", 10.0, root)
    assert data.counts.tolist() == long_tail_counts(10, 100, 10.0)
    assert len(data.train) == sum(data.counts.tolist())
    assert data.test.y.bincount().tolist() == [1] * 100  # test split untouched (balanced)
    assert float(data.train.x.min()) >= 0 and float(data.train.x.max()) <= 1


def test_paper_config_two_steps_on_tiny_cifar(tmp_path: Path) -> None:
    root = make_tiny_cifar(tmp_path)
    cfg = replace(
        PAPER_SCALE, dataset="cifar10", imbalance_ratios=(10.0,), device="cpu", data_dir=str(root),
        batch_size=4, max_steps=2, eval_size=10, eval_pgd_steps=2, eval_cw_steps=2, attack_steps=2,
        gen_epochs=1, autoattack=False,  # AutoAttack is covered by test_real and shared/tests
    )  # fmt: skip
    assert (cfg.model, cfg.feature_dim, cfg.epochs, cfg.lr, cfg.schedule) == (
        "resnet18",
        512,
        200,
        0.1,
        "cosine",
    )
    assert (cfg.threat_model.eps_text, cfg.z_dim, cfg.gen_hidden, cfg.z_steps) == (
        "8/255",
        128,
        (1024, 1024),
        5,
    )
    metrics = run(cfg, seed=0)
    for m in METHODS:
        for k in ("clean_acc", "pgd2_acc", "tail_cw2_acc", "bal_pgd2_acc", "etf_dev"):
            v = metrics[f"{m}@ir10/{k}"]
            assert math.isfinite(v) and (k == "etf_dev" or 0 <= v <= 100)


def test_missing_data_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError, match="cifar-100-python/train"):
        load_long_tailed("cifar100", 10.0, tmp_path)
    with pytest.raises(DataNotFoundError, match="data_batch_1"):
        run(replace(PAPER_SCALE, device="cpu", dataset="cifar10", data_dir=str(tmp_path)), seed=0)
