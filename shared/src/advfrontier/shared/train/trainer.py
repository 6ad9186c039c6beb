"""A plain-torch training loop with a progress bar, per-epoch checkpoints and exact resume."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import torch
from torch import nn

from advfrontier.shared.data.splits import Split
from advfrontier.shared.engine import fabric, is_main, max_steps, outer_only, world
from advfrontier.shared.progress import Progress
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


def _data_fingerprint(data: Split) -> str:
    h = hashlib.sha256()
    h.update(str((tuple(data.x.shape), len(data))).encode())
    h.update(data.y.cpu().numpy().tobytes())
    h.update(data.x.reshape(len(data), -1).sum(1).cpu().double().numpy().tobytes())
    return h.hexdigest()[:16]


class Stateful(Protocol):
    """What a checkpoint carries besides the weights: a per-epoch diagnostics log, for instance."""

    def state_dict(self) -> dict[str, Any]: ...

    def load_state_dict(self, state: dict[str, Any]) -> None: ...


def fit(
    model: nn.Module,
    data: Split,
    objective: Objective,
    cfg: TrainConfig,
    seed: int,
    checkpoint_dir: str | Path | None = None,
    desc: str = "train",
    on_epoch_end: Callable[[int, float], None] | None = None,
    extra_state: Stateful | None = None,
) -> list[float]:
    """Train ``model`` on ``data`` with ``objective``; return the mean loss of each epoch.

    With ``checkpoint_dir``, the state after every epoch (weights, optimiser, scheduler, RNG, and
    ``extra_state`` such as a diagnostics log) is saved to ``last.pt``; a later call with the same
    directory, config and seed resumes after the last saved epoch. ``on_epoch_end`` runs before the save,
    so what it records is in the checkpoint.
    The batch order of epoch e is drawn from seed·1000 + e, so a resumed run sees the same batches.
    The loop runs on Lightning Fabric (:mod:`advfrontier.shared.engine`): under torchrun each rank trains
    on a strided shard of every batch, DDP averages the gradients of the outer loss, and rank 0 writes
    the checkpoints (``fabric.save``); precision (bf16-mixed) is Fabric's.
    """
    fab = fabric()
    rank, size = world()
    opt = make_optimizer(model, cfg)
    wrapped = fab.setup_module(model)  # moves the model to Fabric's device (in place)
    fopt = fab.setup_optimizers(opt)
    routed = outer_only(model, wrapped)
    device = next(model.parameters()).device
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, list(cfg.milestones), cfg.gamma)
    history: list[float] = []
    start = 0
    ckpt = Path(checkpoint_dir) / "last.pt" if checkpoint_dir is not None else None
    # the data is part of the tag: a checkpoint made on another training set is never resumed
    tag = {"fingerprint": cfg.fingerprint(), "seed": seed, "desc": desc, "data": _data_fingerprint(data)}
    tag["max_steps"] = max_steps()  # a truncated run's checkpoint is never resumed by a full one
    # nor one trained with another objective (attack steps, step size, β); addresses are not part of it
    tag["objective"] = re.sub(r" at 0x[0-9a-f]+", "", repr(objective))
    if ckpt is not None and ckpt.exists():
        state = fab.load(ckpt)
        if state["tag"] == tag:
            model.load_state_dict(state["model"])
            opt.load_state_dict(state["optimizer"])
            sched.load_state_dict(state["scheduler"])
            torch.set_rng_state(state["rng"])
            history, start = state["history"], state["epoch"]
            if extra_state is not None and "extra" in state:
                extra_state.load_state_dict(state["extra"])
    budget = max_steps()
    steps = 0
    progress = Progress(cfg.epochs, desc, "epoch", start=start, enabled=is_main())
    for epoch in range(start, cfg.epochs):
        g = torch.Generator().manual_seed(seed * 1000 + epoch)
        order = torch.randperm(len(data), generator=g)
        model.train()
        total, count = torch.zeros((), dtype=torch.float64, device=device), 0
        for i in range(0, len(order), cfg.batch_size):
            idx = order[i : i + cfg.batch_size][rank::size]
            x, y = data.x[idx].to(device), data.y[idx].to(device)
            with fab.autocast():
                loss = objective(routed, x, y)
            fopt.zero_grad(set_to_none=True)
            fab.backward(loss)
            if cfg.grad_clip is not None:
                nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            fopt.step()
            steps += 1
            if budget is not None and steps >= budget:
                break
            total += loss.detach().double() * len(idx)  # on the device: no host sync per step
            count += len(idx)
        sched.step()
        history.append(float(total) / max(count, 1))
        progress.step(note=f"loss {history[-1]:.4f}")
        if on_epoch_end is not None:
            on_epoch_end(epoch, history[-1])
        if ckpt is not None:
            ckpt.parent.mkdir(parents=True, exist_ok=True)
            state = {
                "tag": tag, "model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "rng": torch.get_rng_state(),
                "history": history, "epoch": epoch + 1,
            }  # fmt: skip
            if extra_state is not None:
                state["extra"] = extra_state.state_dict()
            tmp = ckpt.with_suffix(".tmp")
            fab.save(tmp, state)  # rank 0 writes
            if is_main():
                tmp.replace(ckpt)
            fab.barrier()
        if budget is not None and steps >= budget:
            progress.say(f"stopped after {steps} step(s) (--max-steps)")
            break
    model.eval()
    return history
