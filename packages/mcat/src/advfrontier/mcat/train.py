"""A training loop with the paper's cosine schedule and class-uniform sampling, checkpointed per epoch.

The shared :func:`advfrontier.shared.train.fit` has step decay and plain shuffling only; MCAT's appendix
(Table 8) asks for a cosine learning rate and class-uniform sampling, so this package has its own loop.
A run killed mid-way resumes from ``last.pt`` with the same batches (epoch e draws from seed·1000 + e).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import torch
from torch import Tensor, nn

from advfrontier.shared import engine
from advfrontier.shared.data.splits import Split
from advfrontier.shared.progress import Progress
from advfrontier.shared.train.objectives import Objective
from advfrontier.shared.train.trainer import Stateful

SAMPLERS: tuple[str, ...] = ("shuffle", "class_uniform")
SCHEDULES: tuple[str, ...] = ("cosine", "constant")


def epoch_order(labels: Tensor, sampler: str, generator: torch.Generator) -> Tensor:
    """Indices of one epoch (len(labels) of them): a permutation, or classes drawn uniformly first.

    ``class_uniform`` draws a class uniformly for each slot, then an example of it uniformly (with
    replacement), so every class is seen equally often in expectation whatever its size.
    """
    n = len(labels)
    if sampler == "shuffle":
        return torch.randperm(n, generator=generator)
    if sampler != "class_uniform":
        raise ValueError(f"unknown sampler {sampler!r}; expected one of {SAMPLERS}")
    classes = torch.unique(labels)
    members = [torch.nonzero(labels == c).flatten() for c in classes]
    pick = torch.randint(len(classes), (n,), generator=generator)
    out = torch.empty(n, dtype=torch.long)
    for k, idx in enumerate(members):
        rows = pick == k
        out[rows] = idx[torch.randint(len(idx), (int(rows.sum()),), generator=generator)]
    return out


def lr_at(epoch: int, epochs: int, base: float, schedule: str) -> float:
    """Cosine: base·(1 + cos(π·e/E))/2 at the start of epoch e; constant: base."""
    if schedule == "constant":
        return base
    if schedule != "cosine":
        raise ValueError(f"unknown schedule {schedule!r}; expected one of {SCHEDULES}")
    return base * 0.5 * (1 + math.cos(math.pi * epoch / max(epochs, 1)))


def train(
    model: nn.Module,
    data: Split,
    objective: Objective,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
    weight_decay: float = 5e-4,
    momentum: float = 0.9,
    schedule: str = "cosine",
    sampler: str = "shuffle",
    checkpoint_dir: str | Path | None = None,
    max_steps: int | None = None,
    on_epoch_end: Callable[[int, float], None] | None = None,
    desc: str = "train",
    extra_state: Stateful | None = None,
) -> list[float]:
    """SGD on ``objective`` over ``data``; returns the mean loss per epoch. ``max_steps`` stops early.
    One progress line per epoch on stderr (``[desc] epoch k/N · loss · elapsed · ETA``). ``on_epoch_end``
    runs before the epoch's checkpoint, which also carries ``extra_state`` (MCAT's λ·d/CE log), so a
    resumed run reports the epochs before the interruption too."""
    device = next(model.parameters()).device
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)
    history: list[float] = []
    start = 0
    ckpt = Path(checkpoint_dir) / "last.pt" if checkpoint_dir is not None else None
    tag = {"epochs": epochs, "batch": batch_size, "lr": lr, "seed": seed, "sampler": sampler}
    # a --max-steps run's checkpoint is never resumed by a full one (``max_steps`` itself stands for an
    # interruption in the resume test, so only the global budget is part of the tag)
    tag["max_steps"] = engine.max_steps()
    if ckpt is not None and ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        if state["tag"] == tag:
            model.load_state_dict(state["model"])
            opt.load_state_dict(state["optimizer"])
            torch.set_rng_state(state["rng"])
            history, start = state["history"], state["epoch"]
            if extra_state is not None and "extra" in state:
                extra_state.load_state_dict(state["extra"])
    max_steps = engine.max_steps() if max_steps is None else engine.capped(max_steps)  # --max-steps
    progress = Progress(epochs, desc, "epoch", start=start)
    steps = 0
    for epoch in range(start, epochs):
        for group in opt.param_groups:
            group["lr"] = lr_at(epoch, epochs, lr, schedule)
        order = epoch_order(data.y, sampler, torch.Generator().manual_seed(seed * 1000 + epoch))
        model.train()
        total, count = 0.0, 0
        for i in range(0, len(order), batch_size):
            idx = order[i : i + batch_size]
            x, y = data.x[idx].to(device), data.y[idx].to(device)
            loss = objective(model, x, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
            count += len(idx)
            steps += 1
            if max_steps is not None and steps >= max_steps:
                break
        if max_steps is not None and steps >= max_steps and i + batch_size < len(order):
            break  # stopped mid-epoch: nothing of this epoch is recorded or checkpointed
        history.append(total / max(count, 1))
        if on_epoch_end is not None:
            on_epoch_end(epoch, history[-1])
        if ckpt is not None:
            ckpt.parent.mkdir(parents=True, exist_ok=True)
            state = {
                "tag": tag, "model": model.state_dict(), "optimizer": opt.state_dict(),
                "rng": torch.get_rng_state(), "history": history, "epoch": epoch + 1,
            }  # fmt: skip
            if extra_state is not None:
                state["extra"] = extra_state.state_dict()
            tmp = ckpt.with_suffix(".tmp")
            torch.save(state, tmp)
            tmp.replace(ckpt)
        progress.step(note=f"loss {history[-1]:.4f}")
        if max_steps is not None and steps >= max_steps:
            break
    model.eval()
    return history
