"""Accuracy of a model, and the transfer attacks (FGSM, PGD on the undefended classifier).

The attacks (shared FGSM / PGD, L∞ on [0, 1] pixels) are crafted on the undefended classifier and handed
to every pipeline (the paper's setting [inferred]); adaptive attacks through purifier and detector are in
adaptive.py, the rejection rules in pipelines.py and confidence.py.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn

from advfrontier.shared.attacks import check_budget, fgsm, pgd
from advfrontier.shared.determinism import generator
from advfrontier.shared.threat import ThreatModel


def batched(fn: Callable[[Tensor], Tensor], x: Tensor, batch_size: int) -> Tensor:
    """``fn`` over ``x`` in chunks, concatenated."""
    return torch.cat([fn(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])


@torch.no_grad()
def predict(model: nn.Module, x: Tensor, batch_size: int = 256) -> Tensor:
    return batched(lambda xb: model(xb).argmax(1), x, batch_size)


def accuracy(model: nn.Module, x: Tensor, y: Tensor) -> float:
    """Accuracy in percent."""
    return 100.0 * float((predict(model, x) == y).float().mean())


def craft(
    model: nn.Module, x: Tensor, y: Tensor, threat: ThreatModel, steps: int, step_size: str, seed: int,
    *, last_iterate: bool, batch_size: int = 256,
) -> dict[str, Tensor]:  # fmt: skip
    """FGSM and PGD-k examples on ``model``; ``last_iterate`` keeps PGD's final (highest-loss) point."""
    g = generator(seed)
    fg, pg = [], []
    for i in range(0, len(x), batch_size):
        xb, yb = x[i : i + batch_size], y[i : i + batch_size]
        fg.append(fgsm(model, xb, yb, threat))
        pg.append(pgd(model, xb, yb, threat, steps, step_size, keep_best=not last_iterate, generator=g))
    result = {"fgsm": torch.cat(fg), "pgd": torch.cat(pg)}
    for x_adv in result.values():
        check_budget(x_adv, x, threat)
    return result
