"""The optimiser recipe of the released code: AdamW, linear warm-up then cosine decay, gradient clipping."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import torch

from advfrontier.shared.engine import capped


def warmup_cosine(step: int, warmup: int, total: int, base_lr: float) -> float:
    """Learning rate at ``step``: linear warm-up over ``warmup`` steps, then cosine to 0 at ``total``."""
    if step < warmup:
        return base_lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return base_lr * 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))


def fit(
    params: Iterable[torch.nn.Parameter],
    loss_at: Callable[[int], torch.Tensor],
    steps: int,
    lr: float,
    weight_decay: float = 1e-6,
    warmup: int = 0,
    clip: float = 1.0,
    on_step: Callable[[int], None] | None = None,
) -> list[float]:
    """Minimise ``loss_at(step)`` for ``steps`` AdamW steps; return the losses.

    ``on_step(k)`` runs after the k-th optimiser step (k = 1 … steps), e.g. a validation checkpoint.
    """
    params = list(params)
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    losses = []
    for step in range(capped(steps)):  # --max-steps
        for g in opt.param_groups:
            g["lr"] = warmup_cosine(step, warmup, steps, lr)
        loss = loss_at(step)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        losses.append(float(loss.detach()))
        if on_step is not None:
            on_step(step + 1)
    return losses
