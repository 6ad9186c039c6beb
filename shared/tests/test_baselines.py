"""The baselines paper's configs: the paper scale runs on tiny files in the real CIFAR format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from advfrontier.shared.baselines.paper import PAPER
from advfrontier.shared.data import DataNotFoundError
from advfrontier.shared.train import TrainConfig
from shared.tests.test_data import write_cifar10


def test_paper_scale_runs_two_steps_on_tiny_cifar(tmp_path: Path) -> None:
    write_cifar10(tmp_path, n=8)  # 40 training images, 8 test images
    cfg = replace(
        PAPER.config("paper"),
        device="cpu",
        data_dir=str(tmp_path),
        val_size=8,
        methods=("pgd_at",),
        attack_steps=2,
        eval_pgd_steps=2,
        eval_cw_steps=2,
        train=replace(PAPER.config("paper").train, epochs=1, batch_size=16),
    )
    assert cfg.threat_model.eps_text == "8/255" and cfg.model == "preact_resnet18"
    metrics = PAPER.run(cfg, 0)
    names = ("clean_acc", "fgsm_acc", "pgd2_acc", "cw2_acc", "worst_acc")
    assert set(metrics) == {f"pgd_at/{c}" for c in names}
    assert all(0 <= v <= 100 for v in metrics.values())
    assert metrics["pgd_at/worst_acc"] <= min(metrics["pgd_at/pgd2_acc"], metrics["pgd_at/cw2_acc"])


def test_paper_scale_without_data_names_what_to_get(tmp_path: Path) -> None:
    cfg = replace(PAPER.config("paper"), device="cpu", data_dir=str(tmp_path))
    with pytest.raises(DataNotFoundError, match=r"cifar-10-python\.tar\.gz"):
        PAPER.run(cfg, 0)


def test_config_rejects_unknown_methods() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        replace(PAPER.config("mini"), methods=("fgsm_at",))
    with pytest.raises(ValueError, match="TrainConfig"):
        TrainConfig(epochs=-1)
