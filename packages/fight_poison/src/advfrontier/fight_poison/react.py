"""REACT (Algorithm 1): few-shot CE, then per batch retrieve → rewrite → update D_sur → update D_tar → grow B.

Works with any detector ``D(texts) -> (logits, cls)``, surrogate ``S(texts) -> logits`` and rewriter
``G(text, x_h, x_m, rng) -> text`` (``x_h = x_m = None`` without retrieval), so the miniature and the
paper scale share this loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from advfrontier.fight_poison.losses import attacker_loss, detector_loss
from advfrontier.shared.engine import budget_reached

Rewriter = Callable[[str, str | None, str | None, np.random.Generator], str]


@dataclass(frozen=True)
class ReactOptions:
    """Hyperparameters of the adversarial phase (Table 2) and the ablation switches."""

    epochs: int
    batch_size: int
    lr_tar: float
    lr_sur: float
    weight_decay: float
    alpha: float
    lambda_pbc: float
    delta_same: float
    delta_diff: float
    retrieval: bool = True
    """False: the w/o-RAG ablation (G gets no retrieved examples)."""


class RetrievalPool:
    """B: the few-shot texts and every rewrite; v(X) = P_sur(MGT | X); X_H = argmin v, X_M = argmax v."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)

    @torch.no_grad()
    def retrieve(self, surrogate: nn.Module) -> tuple[str, str]:
        v = F.softmax(surrogate(self.texts), dim=-1)[:, 1]
        return self.texts[int(v.argmin())], self.texts[int(v.argmax())]

    def add(self, texts: Sequence[str]) -> None:
        self.texts.extend(texts)


def _batches(n: int, size: int, rng: np.random.Generator) -> list[np.ndarray]:
    order = rng.permutation(n)
    return [order[i : i + size] for i in range(0, n, size)]


def _adamw(module: nn.Module, lr: float, wd: float) -> torch.optim.Optimizer:
    return torch.optim.AdamW([p for p in module.parameters() if p.requires_grad], lr=lr, weight_decay=wd)


def train_ce(
    model: nn.Module,
    texts: Sequence[str],
    labels: np.ndarray,
    epochs: int,
    batch_size: int,
    lr: float,
    wd: float,
    rng: np.random.Generator,
    logits_of: Callable = lambda out: out[0],
) -> None:
    """Plain few-shot cross-entropy fine-tuning (the baseline, and REACT's warm start)."""
    opt = _adamw(model, lr, wd)
    y = torch.as_tensor(labels, dtype=torch.long)
    model.train()
    steps = 0
    for _ in range(epochs):
        for idx in _batches(len(texts), batch_size, rng):
            out = logits_of(model([texts[i] for i in idx]))
            loss = F.cross_entropy(out, y[idx].to(out.device))
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps += 1
            if budget_reached(steps):  # --max-steps
                break
        if budget_reached(steps):
            break
    model.eval()


def react_train(
    detector: nn.Module,
    surrogate: nn.Module,
    rewriter: Rewriter,
    texts: Sequence[str],
    labels: np.ndarray,
    opts: ReactOptions,
    rng: np.random.Generator,
) -> dict[str, float]:
    """Algorithm 1's adversarial epochs; returns the share of rewrites that fooled D_tar (per epoch mean)."""
    opt_tar = _adamw(detector, opts.lr_tar, opts.weight_decay)
    opt_sur = _adamw(surrogate, opts.lr_sur, opts.weight_decay)
    pool = RetrievalPool(texts)
    y = torch.as_tensor(labels, dtype=torch.long)
    fooled, seen, steps = 0, 0, 0
    for _ in range(opts.epochs):
        for idx in _batches(len(texts), opts.batch_size, rng):
            xs = [texts[i] for i in idx]
            # (A) retrieve X_H, X_M from B by the surrogate and rewrite
            x_h, x_m = pool.retrieve(surrogate) if opts.retrieval else (None, None)
            adv = [rewriter(x, x_h, x_m, rng) for x in xs]
            # (B) update D_sur towards D_tar's top-1 label on the rewrites; D_tar frozen
            detector.eval()
            with torch.no_grad():
                l_hat = detector(adv)[0].argmax(-1)
            fooled += int((l_hat == 0).sum())
            seen += len(adv)
            surrogate.train()
            loss_sur = attacker_loss(surrogate(adv), l_hat)
            opt_sur.zero_grad()
            loss_sur.backward()
            opt_sur.step()
            surrogate.eval()
            # (C) update D_tar on (X, l) and X̃ (labelled MGT); D_sur frozen
            detector.train()
            logits, cls = detector(xs)
            adv_logits, adv_cls = detector(adv)
            loss = detector_loss(
                logits, cls, y[idx].to(logits.device), adv_logits, adv_cls,
                opts.alpha, opts.lambda_pbc, opts.delta_same, opts.delta_diff,
            )  # fmt: skip
            opt_tar.zero_grad()
            loss.backward()
            opt_tar.step()
            detector.eval()
            # (D) the rewrites join the retrieval pool
            pool.add(adv)
            steps += 1
            if budget_reached(steps):  # --max-steps
                break
        if budget_reached(steps):
            break
    return {"train_fool_rate": 100.0 * fooled / max(seen, 1)}


@torch.no_grad()
def predict_proba(detector: nn.Module, texts: Sequence[str], batch: int = 64) -> np.ndarray:
    """P(MGT | text) for each text."""
    detector.eval()
    out = [F.softmax(detector(list(texts[i : i + batch]))[0], -1)[:, 1] for i in range(0, len(texts), batch)]
    return torch.cat(out).float().cpu().numpy() if out else np.zeros(0)
