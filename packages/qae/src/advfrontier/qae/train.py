"""Minibatch Adam on clean data only: classifier (CE), quantum autoencoder (fidelity), CAE (MSE)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn

from advfrontier.shared.determinism import generator
from advfrontier.shared.engine import budget_reached
from advfrontier.shared.progress import Progress


def fit(
    module: nn.Module,
    loss_fn: Callable[[Tensor, Tensor], Tensor],
    x: Tensor,
    y: Tensor,
    epochs: int,
    lr: float,
    batch_size: int,
    seed: int,
) -> list[float]:
    """Train ``module`` on ``loss_fn(xb, yb)`` for ``epochs``; return the mean loss of each epoch."""
    opt = torch.optim.Adam(module.parameters(), lr=lr)
    g = generator(seed)
    history: list[float] = []
    steps = 0
    module.train()
    progress = Progress(epochs, f"qae fit {type(module).__name__} seed {seed}", "epoch", every=30.0)
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=g)
        total = 0.0
        for i in range(0, len(x), batch_size):
            b = perm[i : i + batch_size]
            loss = loss_fn(x[b], y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(b)
            steps += 1
            if budget_reached(steps):  # --max-steps
                break
        history.append(total / max(len(x), 1))
        progress.step()
        if budget_reached(steps):
            break
    module.eval()
    return history
