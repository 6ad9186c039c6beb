"""Lightning Fabric: two CPU ranks (DDP over gloo) train to the same weights as one process on the same
global batches, also with an adversarial inner loop (whose forwards must bypass DDP's hooks)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from advfrontier.shared import engine
from advfrontier.shared.attacks import pgd
from advfrontier.shared.data import load_digits_splits
from advfrontier.shared.models import SmallCNN
from advfrontier.shared.threat import linf
from advfrontier.shared.train import Standard, TrainConfig, fit

CFG = TrainConfig(epochs=2, batch_size=64, lr=0.05, weight_decay=0.0, momentum=0.0)


@dataclass(frozen=True)
class FixedStartPGD:
    """PGD-AT without the random start: each rank's shard sees exactly the single process's attack."""

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        x_adv = pgd(model, x, y, linf("0.1"), steps=2, step_size="0.05", rand_init=False, keep_best=False)
        return F.cross_entropy(model(x_adv), y)


OBJECTIVES = {"standard": Standard(), "pgd": FixedStartPGD()}


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


def test_fabric_bf16_mixed_trains_with_an_adversarial_inner_loop() -> None:
    """Under mixed precision Fabric refuses any backward that is not fabric.backward; the attack's
    autograd.grad must therefore run on the bare module (it once raised RuntimeError here)."""
    from lightning.fabric import Fabric

    engine.use(Fabric(accelerator="cpu", devices=1, precision="bf16-mixed"))
    try:
        torch.manual_seed(0)
        model = SmallCNN(width=8, feature_dim=16)
        before = model.head.weight.detach().clone()
        cfg = TrainConfig(epochs=1, batch_size=32, lr=0.05, weight_decay=0.0)
        hist = fit(model, load_digits_splits(0).train.subset(range(64)), FixedStartPGD(), cfg, seed=0)
    finally:
        engine.use(None)
    assert len(hist) == 1 and torch.isfinite(torch.tensor(hist)).all()
    assert not torch.equal(model.head.weight.detach(), before)
