import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from advfrontier.raat.config import PAPER_SCALE
from advfrontier.raat.data import load_data
from advfrontier.raat.paper import run
from advfrontier.shared.data.errors import DataNotFoundError
from advfrontier.shared.train import TrainConfig


def _write_tiny_cifar10(root: Path, per_batch: int = 2) -> np.ndarray:
    """cifar-10-batches-py in the real pickle format (latin1 dicts, uint8 rows of 3072), a few images each."""
    rng = np.random.default_rng(0)
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    labels = []
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch_labels = rng.integers(0, 10, per_batch).tolist()
        labels += batch_labels if name != "test_batch" else []
        data = rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8)
        with (folder / name).open("wb") as f:
            pickle.dump({"batch_label": name, "labels": batch_labels, "data": data}, f)
    return np.asarray(labels)


def test_paper_config_runs_two_steps_on_tiny_cifar_files(tmp_path: Path, monkeypatch) -> None:
    labels = _write_tiny_cifar10(tmp_path)
    cfg = replace(
        PAPER_SCALE,
        data_dir=str(tmp_path),
        device="cpu",
        methods=("raat",),
        train=replace(PAPER_SCALE.train, epochs=1, batch_size=5),  # 10 training images: two steps
        eval_pgd_steps=2,
        eval_cw_steps=2,
        autoattack=False,
    )
    data, test = load_data(cfg)
    assert len(data.train) == 10 and len(test) == 2  # val_size 0: the paper trains on every image
    assert sorted(data.train.y.tolist()) == sorted(labels.tolist())
    assert data.train.x.shape[1:] == (3, 32, 32) and 0 <= float(data.train.x.min()) <= 1
    steps = []
    import advfrontier.raat.paper as paper_module

    real_fit = paper_module.fit

    def counting_fit(model, split, obj, tcfg: TrainConfig, *args, **kwargs):
        before = [p.detach().clone() for p in model.parameters()]
        out = real_fit(model, split, obj, tcfg, *args, **kwargs)
        steps.append(-(-len(split) // tcfg.batch_size) * tcfg.epochs)
        assert any(not torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True))
        return out

    monkeypatch.setattr(paper_module, "fit", counting_fit)
    metrics = run(cfg, seed=0)
    assert steps == [2]
    columns = ("clean_acc", "fgsm_acc", "pgd2_acc", "cw2_acc", "worst_acc")
    assert {f"raat/{k}" for k in columns} <= set(metrics)
    shares = [metrics[f"raat/{p}_share_final"] for p in ("m", "bd", "n")]  # the mechanism log, in %
    assert sum(shares) == pytest.approx(100.0) and "raat/bd_share_ep01" in metrics
    assert all(0.0 <= v <= 100.0 for v in metrics.values())


def test_missing_cifar_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError, match="data_batch_1"):
        run(replace(PAPER_SCALE, data_dir=str(tmp_path), device="cpu"), seed=0)
