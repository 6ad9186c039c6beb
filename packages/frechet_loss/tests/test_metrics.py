"""k-NN precision/recall: invariants that a wrong implementation would break."""

from __future__ import annotations

import pytest
import torch

from advfrontier.frechet_loss.metrics import precision_recall


def test_same_set_is_full_precision_and_recall() -> None:
    x = torch.randn(50, 4, generator=torch.Generator().manual_seed(0))
    assert precision_recall(x, x.clone(), k=3) == (100.0, 100.0)


def test_far_away_fakes_have_zero_precision_and_recall() -> None:
    x = torch.randn(40, 3, generator=torch.Generator().manual_seed(1))
    assert precision_recall(x, x + 100.0, k=3) == (0.0, 0.0)


def test_mode_collapse_keeps_precision_but_loses_recall() -> None:
    g = torch.Generator().manual_seed(2)
    real = torch.cat([torch.randn(100, 2, generator=g), torch.randn(100, 2, generator=g) + 20.0])
    fake = torch.randn(200, 2, generator=g)  # only the first mode
    p, r = precision_recall(real, fake, k=3)
    assert p > 90.0 and r == pytest.approx(50.0, abs=5.0)
