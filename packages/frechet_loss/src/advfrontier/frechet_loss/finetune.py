"""Fine-tune a generator's one-step map with the FD-loss: no teacher, no discriminator.

The loss is differentiated through the one-step sampler and the frozen encoders; the generated
distribution's statistics come from a queue (``queue`` rows, ``queue == batch`` being batch-only
statistics) or an EMA (``ema_beta``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from advfrontier.frechet_loss.fd import Reference
from advfrontier.frechet_loss.loss import Population, fd_loss
from advfrontier.frechet_loss.stats import EMAStats, FeatureQueue
from advfrontier.shared.engine import capped

Sampler = Callable[[Tensor], Tensor]
"""Noise → images in the encoders' input range, differentiable in the generator's parameters."""
Encode = Callable[[Tensor], Tensor]
Criterion = Callable[[Mapping[str, Tensor]], tuple[Tensor, dict[str, float]]]
"""Features per space → (loss, raw distance per space)."""


@dataclass(frozen=True)
class FDTrain:
    """One FD-loss fine-tuning run."""

    steps: int
    batch: int
    lr: float
    queue: int = 0
    """Queue rows (== batch: batch-only statistics); 0 with ema_beta > 0 selects EMA mode."""
    ema_beta: float = 0.0
    warmup: int = 0
    """Linear warm-up steps before the cosine decay."""
    betas: tuple[float, float] = (0.9, 0.95)
    weight_decay: float = 0.0
    grad_clip: float = 0.0
    """Clip the gradient norm at this value (0: no clipping)."""

    def __post_init__(self) -> None:
        if (self.queue > 0) == (self.ema_beta > 0):
            raise ValueError("choose exactly one of queue > 0 or ema_beta > 0")
        if self.queue and self.queue < self.batch:
            raise ValueError(f"queue ({self.queue}) must hold at least one batch ({self.batch})")


def lr_at(step: int, cfg: FDTrain) -> float:
    """Linear warm-up then cosine decay to zero."""
    import math

    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    frac = (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup)
    return cfg.lr * 0.5 * (1.0 + math.cos(math.pi * frac))


@torch.no_grad()
def _warm_features(
    sample: Sampler, encoders: Mapping[str, Encode], noise: Callable[[int], Tensor], n: int, batch: int
):
    out: dict[str, list[Tensor]] = {k: [] for k in encoders}
    for i in range(0, n, batch):
        x = sample(noise(min(batch, n - i)))
        for k, enc in encoders.items():
            out[k].append(enc(x).double())
    return {k: torch.cat(v) for k, v in out.items()}


def make_populations(
    cfg: FDTrain, sample: Sampler, encoders: Mapping[str, Encode], noise: Callable[[int], Tensor]
) -> dict[str, Population]:
    """Queues filled (or EMAs initialised) with features of the generator before fine-tuning."""
    n = cfg.queue if cfg.queue else max(cfg.batch, 8 * cfg.batch)
    warm = _warm_features(sample, encoders, noise, n, cfg.batch)
    pops: dict[str, Population] = {}
    for k, f in warm.items():
        if cfg.queue:
            q = FeatureQueue(cfg.queue, f.shape[1], f.device)
            q.fill(f)
            pops[k] = q
        else:
            pops[k] = EMAStats(cfg.ema_beta, f)
    return pops


def finetune(
    params: list[nn.Parameter],
    sample: Sampler,
    encoders: Mapping[str, Encode],
    refs: Mapping[str, Reference],
    noise: Callable[[int], Tensor],
    cfg: FDTrain,
    weights: Mapping[str, float] | None = None,
    log: Callable[[int, dict[str, float]], None] | None = None,
    criterion: Callable[[Mapping[str, Population]], Criterion] | None = None,
) -> list[dict[str, float]]:
    """AdamW on Σ_r w_r FD_r/(sg(FD_r)+0.01); returns the per-step raw population FDs.

    ``criterion(pops)`` replaces the FD-loss by another distance over the same loop (``baselines.py``).
    """
    pops = make_populations(cfg, sample, encoders, noise)
    crit = criterion(pops) if criterion is not None else (lambda feats: fd_loss(feats, refs, pops, weights))
    opt = torch.optim.AdamW(params, lr=cfg.lr, betas=cfg.betas, weight_decay=cfg.weight_decay)
    history = []
    for step in range(capped(cfg.steps)):  # --max-steps
        for group in opt.param_groups:
            group["lr"] = lr_at(step, cfg)
        x = sample(noise(cfg.batch))
        feats = {k: enc(x) for k, enc in encoders.items()}
        loss, raw = crit(feats)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if cfg.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(params, cfg.grad_clip)
        opt.step()
        history.append(raw)
        if log is not None:
            log(step, raw)
    return history
