"""Early stopping on a validation score: the same checkpoint grid for every model of a run.

``BestOnValidation(module, score, every)`` is passed as ``on_step`` to ``optim.fit``: every ``every`` steps
(and at the last one) it evaluates ``score()`` (higher is better, on validation data only) and keeps a copy of
the best weights; ``restore()`` loads them back and returns (best step, best score).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import torch
from torch import nn


class BestOnValidation:
    def __init__(self, module: nn.Module, score: Callable[[], float], every: int, total: int):
        if every < 1 or total < 1:
            raise ValueError(f"every and total must be >= 1, got {every}, {total}")
        self.module, self.score, self.every, self.total = module, score, every, total
        self.best_step, self.best_score = 0, float("-inf")
        self.best_state = copy.deepcopy(module.state_dict())
        self.history: list[tuple[int, float]] = []

    def __call__(self, step: int) -> None:
        if step % self.every and step != self.total:
            return
        with torch.no_grad():
            value = float(self.score())
        self.history.append((step, value))
        if value > self.best_score:
            self.best_step, self.best_score = step, value
            self.best_state = copy.deepcopy(self.module.state_dict())

    def restore(self) -> tuple[int, float]:
        """Load the best weights seen (the initial ones if no checkpoint ran)."""
        self.module.load_state_dict(self.best_state)
        return self.best_step, self.best_score
