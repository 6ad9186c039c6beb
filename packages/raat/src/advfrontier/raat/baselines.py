"""The baselines of the comparison (standard, PGD-AT, TRADES, MART) on one augmented view per sample.

The shared objectives see the batch as given; here each batch is first augmented once with the same
``Augment`` that draws RAAT's two views, so augmentation is not what separates RAAT from its baselines.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor, nn

from advfrontier.raat.augment import Augment
from advfrontier.shared.train import Objective


@dataclass(frozen=True)
class Augmented:
    """``objective(model, augment(x), y)``."""

    objective: Objective
    augment: Augment

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        return self.objective(model, self.augment(x), y)
