"""Two CPU ranks (gloo) train to the same weights as one process on the same global batches."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as tmp

from advfrontier.shared.data import load_digits_splits
from advfrontier.shared.models import SmallCNN
from advfrontier.shared.train import Standard, TrainConfig, fit

CFG = TrainConfig(epochs=2, batch_size=64, lr=0.05, weight_decay=0.0, momentum=0.0)


def _train(rank: int, world: int, store: str, out: str) -> None:
    torch.set_num_threads(1)
    if world > 1:
        dist.init_process_group("gloo", init_method=f"file://{store}", rank=rank, world_size=world)
    torch.manual_seed(0)
    model = SmallCNN(width=8, feature_dim=16)
    fit(model, load_digits_splits(0).train.subset(range(256)), Standard(), CFG, seed=0)
    torch.save(model.state_dict(), f"{out}/rank{rank}_of{world}.pt")
    if world > 1:
        dist.destroy_process_group()


def test_two_ranks_match_one_process(tmp_path: Path) -> None:
    _train(0, 1, "", str(tmp_path))
    tmp.spawn(_train, args=(2, str(tmp_path / "store"), str(tmp_path)), nprocs=2, join=True)
    single = torch.load(tmp_path / "rank0_of1.pt")
    r0, r1 = torch.load(tmp_path / "rank0_of2.pt"), torch.load(tmp_path / "rank1_of2.pt")
    for k in single:
        assert torch.equal(r0[k], r1[k]), k  # ranks stay in lock-step
        assert torch.allclose(r0[k], single[k], atol=1e-5), k  # and equal the one-process run
