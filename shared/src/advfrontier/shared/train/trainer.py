"""A plain-torch training loop with a progress bar, per-epoch checkpoints and exact resume."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from tqdm.auto import tqdm

from advfrontier.shared.data.splits import Split
from advfrontier.shared.distributed import average_gradients, is_main, world
from advfrontier.shared.train.objectives import Objective


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation settings of one training run."""

    epochs: int = 10
    """Passes over the training split."""
    batch_size: int = 128
    lr: float = 0.1
    optimizer: str = "sgd"
    """"sgd" (momentum, Nesterov off) or "adam"."""
    momentum: float = 0.9
    weight_decay: float = 5e-4
    milestones: tuple[int, ...] = ()
    """Epochs at which the learning rate is multiplied by ``gamma``."""
    gamma: float = 0.1
    grad_clip: float | None = None
    extra: dict[str, float] = field(default_factory=dict)
    """Free-form numbers recorded with the checkpoint (e.g. the method's own weights)."""

    def __post_init__(self) -> None:
        if self.epochs < 0 or self.batch_size < 1 or self.lr <= 0:
            raise ValueError(f"bad TrainConfig: {self}")
        if self.optimizer not in ("sgd", "adam"):
            raise ValueError(f"optimizer must be 'sgd' or 'adam', got {self.optimizer!r}")

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, default=str).encode()).hexdigest()[:16]


def make_optimizer(model: nn.Module, cfg: TrainConfig) -> torch.optim.Optimizer:
    if cfg.optimizer == "adam":
        return torch.optim.Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    return torch.optim.SGD(
        model.parameters(), lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay
    )


def fit(
    model: nn.Module,
    data: Split,
    objective: Objective,
    cfg: TrainConfig,
    seed: int,
    checkpoint_dir: str | Path | None = None,
    desc: str = "train",
    on_epoch_end: Callable[[int, float], None] | None = None,
) -> list[float]:
    """Train ``model`` on ``data`` with ``objective``; return the mean loss of each epoch.

    With ``checkpoint_dir``, the state after every epoch (weights, optimiser, scheduler, RNG) is saved to
    ``last.pt``; a later call with the same directory, config and seed resumes after the last saved epoch.
    The batch order of epoch e is drawn from seed·1000 + e, so a resumed run sees the same batches.
    Under torchrun each rank trains on a strided shard of every batch and gradients are averaged over
    ranks (:mod:`advfrontier.shared.distributed`); rank 0 writes the checkpoints.
    """
    rank, size = world()
    device = next(model.parameters()).device
    opt = make_optimizer(model, cfg)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, list(cfg.milestones), cfg.gamma)
    history: list[float] = []
    start = 0
    ckpt = Path(checkpoint_dir) / "last.pt" if checkpoint_dir is not None else None
    tag = {"fingerprint": cfg.fingerprint(), "seed": seed, "desc": desc}
    if ckpt is not None and ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        if state["tag"] == tag:
            model.load_state_dict(state["model"])
            opt.load_state_dict(state["optimizer"])
            sched.load_state_dict(state["scheduler"])
            torch.set_rng_state(state["rng"])
            history, start = state["history"], state["epoch"]
    bar = tqdm(range(start, cfg.epochs), desc=desc, leave=False, disable=None if is_main() else True)
    for epoch in bar:
        g = torch.Generator().manual_seed(seed * 1000 + epoch)
        order = torch.randperm(len(data), generator=g)
        model.train()
        total, count = 0.0, 0
        for i in range(0, len(order), cfg.batch_size):
            idx = order[i : i + cfg.batch_size][rank::size]
            x, y = data.x[idx].to(device), data.y[idx].to(device)
            loss = objective(model, x, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            average_gradients(model)
            if cfg.grad_clip is not None:
                nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            opt.step()
            total += float(loss.detach()) * len(idx)
            count += len(idx)
        sched.step()
        history.append(total / max(count, 1))
        bar.set_postfix(loss=f"{history[-1]:.4f}")
        if ckpt is not None and is_main():
            ckpt.parent.mkdir(parents=True, exist_ok=True)
            state = {
                "tag": tag, "model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "rng": torch.get_rng_state(),
                "history": history, "epoch": epoch + 1,
            }  # fmt: skip
            tmp = ckpt.with_suffix(".tmp")
            torch.save(state, tmp)
            tmp.replace(ckpt)
        if on_epoch_end is not None:
            on_epoch_end(epoch, history[-1])
    model.eval()
    return history
