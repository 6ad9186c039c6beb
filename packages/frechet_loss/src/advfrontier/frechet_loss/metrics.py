"""Improved precision and recall (Kynkäänniemi et al., 2019) by k-NN balls in a feature space."""

from __future__ import annotations

import torch
from torch import Tensor


def _radii(x: Tensor, k: int) -> Tensor:
    d = torch.cdist(x, x)
    return d.kthvalue(k + 1, dim=1).values  # the 0th neighbour is the point itself


def coverage_fraction(queries: Tensor, support: Tensor, k: int) -> float:
    """Fraction of ``queries`` inside the union of the k-NN balls of ``support`` (in %)."""
    r = _radii(support.double(), k)
    d = torch.cdist(queries.double(), support.double())
    return 100.0 * float((d <= r[None]).any(dim=1).double().mean())


def precision_recall(real: Tensor, fake: Tensor, k: int = 3) -> tuple[float, float]:
    """Precision: fakes on the real manifold; recall: reals on the fake manifold (both in %)."""
    return coverage_fraction(fake, real, k), coverage_fraction(real, fake, k)
