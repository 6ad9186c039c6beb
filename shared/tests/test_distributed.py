"""Lightning Fabric: two CPU ranks (DDP over gloo) train to the same weights as one process on the same
global batches, also with an adversarial inner loop (whose forwards must bypass DDP's hooks)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from advfrontier.shared import engine
from advfrontier.shared.data import load_digits_splits
from advfrontier.shared.models import SmallCNN
from advfrontier.shared.threat import linf
from advfrontier.shared.train import MadryPGD, Standard, TrainConfig, fit

CFG = TrainConfig(epochs=2, batch_size=64, lr=0.05, weight_decay=0.0, momentum=0.0)
OBJECTIVES = {"standard": Standard(), "pgd": MadryPGD(linf("0.1"), steps=2, step_size="0.05")}


def _train(fab, name: str, out: str) -> None:
    torch.set_num_threads(1)
    engine.use(fab)
    torch.manual_seed(0)
    model = SmallCNN(width=8, feature_dim=16)
    fit(model, load_digits_splits(0).train.subset(range(256)), OBJECTIVES[name], CFG, seed=0)
    torch.save(model.state_dict(), f"{out}/{name}_rank{fab.global_rank}_of{fab.world_size}.pt")


@pytest.mark.parametrize("name", ["standard", "pgd"])
def test_fabric_distributed_two_ranks_match_one_process(tmp_path: Path, name: str) -> None:
    from lightning.fabric import Fabric

    single = Fabric(accelerator="cpu", devices=1)
    _train(single, name, str(tmp_path))
    engine.use(None)
    Fabric(accelerator="cpu", devices=2, strategy="ddp_spawn").launch(_train, name, str(tmp_path))
    one = torch.load(tmp_path / f"{name}_rank0_of1.pt")
    r0, r1 = torch.load(tmp_path / f"{name}_rank0_of2.pt"), torch.load(tmp_path / f"{name}_rank1_of2.pt")
    for k in one:
        assert torch.equal(r0[k], r1[k]), k  # ranks stay in lock-step
        assert torch.allclose(r0[k], one[k], atol=1e-5), k  # and equal the one-process run
    assert not torch.equal(one["head.weight"], SmallCNN(width=8, feature_dim=16).state_dict()["head.weight"])


def test_fabric_distributed_max_steps_truncates_training() -> None:
    engine.use(None)
    engine.set_max_steps(3)
    try:
        model = SmallCNN(width=8, feature_dim=16)
        hist = fit(model, load_digits_splits(0).train.subset(range(512)), Standard(), CFG, seed=0)
    finally:
        engine.set_max_steps(None)
    assert len(hist) == 1  # stopped inside the first epoch (8 batches) after 3 steps


def test_fabric_distributed_no_hand_made_all_reduce() -> None:
    src = Path(engine.__file__).resolve().parent
    hits = [p for p in src.rglob("*.py") if "all_reduce" in p.read_text()]
    assert not hits, hits
