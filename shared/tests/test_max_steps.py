"""The --max-steps helpers that hand-written training loops use."""

from __future__ import annotations

import pytest
import torch

from advfrontier.shared import engine


def test_budget_helpers_follow_set_max_steps() -> None:
    assert not engine.budget_reached(10**9) and engine.capped(50) == 50  # no budget: no limit
    engine.set_max_steps(2)
    try:
        assert [engine.budget_reached(n) for n in range(4)] == [False, False, True, True]
        assert (engine.capped(50), engine.capped(1)) == (2, 1)
    finally:
        engine.set_max_steps(None)
    assert not engine.budget_reached(2)


def test_set_max_steps_refuses_a_non_positive_budget() -> None:
    with pytest.raises(ValueError, match="max-steps"):
        engine.set_max_steps(0)


def test_a_truncated_runs_checkpoint_is_not_resumed_by_a_full_run(tmp_path) -> None:
    from advfrontier.shared.data import load_digits_splits
    from advfrontier.shared.models import SmallCNN
    from advfrontier.shared.train import Standard, TrainConfig, fit

    def model() -> SmallCNN:
        torch.manual_seed(0)
        return SmallCNN(width=8, feature_dim=16)

    data = load_digits_splits(0).train.subset(range(128))
    cfg = TrainConfig(epochs=2, batch_size=64, lr=0.05, weight_decay=0.0)
    engine.set_max_steps(2)  # = the whole first epoch: a checkpoint "after epoch 1" is written
    try:
        fit(model(), data, Standard(), cfg, seed=0, checkpoint_dir=tmp_path)
    finally:
        engine.set_max_steps(None)
    assert (tmp_path / "last.pt").exists()
    full = fit(model(), data, Standard(), cfg, seed=0, checkpoint_dir=tmp_path)
    fresh = fit(model(), data, Standard(), cfg, seed=0)
    assert full == fresh  # trained from scratch, not resumed after the truncated epoch


def test_a_checkpoint_of_another_objective_is_not_resumed(tmp_path) -> None:
    """Same TrainConfig, seed and data but another attack budget: train from scratch, don't resume."""
    from advfrontier.shared.data import load_digits_splits
    from advfrontier.shared.models import SmallCNN
    from advfrontier.shared.threat import linf
    from advfrontier.shared.train import MadryPGD, TrainConfig, fit

    def model() -> SmallCNN:
        torch.manual_seed(0)
        return SmallCNN(width=8, feature_dim=16)

    data = load_digits_splits(0).train.subset(range(64))
    cfg = TrainConfig(epochs=1, batch_size=64, lr=0.05, weight_decay=0.0)
    fit(model(), data, MadryPGD(linf("0.1"), steps=1, step_size="0.1"), cfg, seed=0, checkpoint_dir=tmp_path)
    two = MadryPGD(linf("0.1"), steps=2, step_size="0.05")
    resumed = fit(model(), data, two, cfg, seed=0, checkpoint_dir=tmp_path)
    fresh = fit(model(), data, two, cfg, seed=0)
    assert resumed == fresh and len(fresh) == 1
