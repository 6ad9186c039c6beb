"""Correlation metrics against scipy, and which offsets each one ignores."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

from advfrontier.diffusion_reward.metrics import pooled_pearson, within_state_spearman


def test_within_state_spearman_matches_scipy_and_ignores_state_offsets() -> None:
    gen = torch.Generator().manual_seed(0)
    true = torch.randn(5, 30, generator=gen)
    pred = true + 0.8 * torch.randn(5, 30, generator=gen)
    want = np.mean([spearmanr(pred[i].numpy(), true[i].numpy()).statistic for i in range(5)])
    assert within_state_spearman(pred, true) == pytest.approx(want, abs=1e-9)
    shifted = torch.exp(pred) + 100 * torch.arange(5.0)[:, None]  # monotone map + per-state offset
    assert within_state_spearman(shifted, true) == pytest.approx(want, abs=1e-9)


def test_pooled_pearson_matches_numpy_and_sees_state_offsets() -> None:
    gen = torch.Generator().manual_seed(1)
    true = torch.randn(4, 20, generator=gen)
    pred = true + 0.3 * torch.randn(4, 20, generator=gen)
    r = pooled_pearson(pred, true)
    assert r == pytest.approx(np.corrcoef(pred.reshape(-1), true.reshape(-1))[0, 1], abs=1e-9)
    assert pooled_pearson(pred + 10 * torch.randn(4, 1, generator=gen), true) < r - 0.3
