"""The non-FD baselines against independent references."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from advfrontier.frechet_loss.baselines import (
    MMDCriterion,
    MomentCriterion,
    median_bandwidth,
    mmd2_rbf,
    moment_distance,
)
from advfrontier.frechet_loss.fd import Reference, frechet_distance, mean_cov
from advfrontier.frechet_loss.stats import FeatureQueue


def test_moment_distance_is_fd_of_the_diagonal_gaussians() -> None:
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(200, 6, generator=g) * 2.0, torch.randn(300, 6, generator=g) + 1.0
    (mx, sx), (my, sy) = mean_cov(x), mean_cov(y)
    ours = moment_distance(mx, sx, Reference.of(my, sy))
    diag = frechet_distance(
        mx, torch.diag(torch.diagonal(sx)), Reference.of(my, torch.diag(torch.diagonal(sy)))
    )
    assert float(ours) == pytest.approx(float(diag), rel=1e-10)
    # it ignores correlations: a rotation that keeps the marginal variances leaves it unchanged, FD does not
    c = torch.tensor([[1.0, 0.9], [0.9, 1.0]], dtype=torch.float64)
    ref = Reference.of(torch.zeros(2), torch.eye(2, dtype=torch.float64))
    assert float(moment_distance(torch.zeros(2), c, ref)) == pytest.approx(0.0, abs=1e-12)
    assert float(frechet_distance(torch.zeros(2), c, ref)) > 0.1


def test_mmd_matches_sklearn_rbf_kernels() -> None:
    from sklearn.metrics.pairwise import rbf_kernel

    g = torch.Generator().manual_seed(1)
    x, y = torch.randn(30, 5, generator=g), torch.randn(40, 5, generator=g) + 0.5
    h = median_bandwidth(y)
    ours = float(mmd2_rbf(x, y, h))
    xn, yn = x.double().numpy(), y.double().numpy()
    ref = 0.0
    for f in (0.5, 1.0, 2.0):
        gamma = 1.0 / (2.0 * (f * h) ** 2)
        ref += (
            rbf_kernel(xn, xn, gamma=gamma).mean()
            + rbf_kernel(yn, yn, gamma=gamma).mean()
            - 2 * rbf_kernel(xn, yn, gamma=gamma).mean()
        )
    assert ours == pytest.approx(ref, rel=1e-10)
    d = torch.cdist(y.double(), y.double()).numpy()
    assert h == pytest.approx(float(np.median(d[np.triu_indices(40, 1)])))


def test_mmd_separates_shifted_from_same_distribution() -> None:
    g = torch.Generator().manual_seed(2)
    a, b = torch.randn(200, 4, generator=g), torch.randn(200, 4, generator=g)
    h = median_bandwidth(b)
    assert float(mmd2_rbf(a, b, h)) < 0.2 * float(mmd2_rbf(a + 1.0, b, h))


def test_criteria_give_gradients_to_the_batch() -> None:
    g = torch.Generator().manual_seed(3)
    real = torch.randn(500, 4, generator=g, dtype=torch.float64)
    ref = Reference.of(*mean_cov(real))
    q = FeatureQueue(64, 4)
    q.fill(torch.randn(64, 4, generator=g) + 2.0)
    batch = (torch.randn(8, 4, generator=g) + 2.0).requires_grad_(True)
    for crit in (MomentCriterion({"s": ref}, {"s": q}), MMDCriterion({"s": real}, 64, g)):
        loss, raw = crit({"s": batch})
        (grad,) = torch.autograd.grad(loss, batch)
        assert raw["s"] > 0 and torch.isfinite(grad).all() and grad.abs().sum() > 0
