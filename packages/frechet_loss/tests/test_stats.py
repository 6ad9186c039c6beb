"""Queue and EMA statistics against direct computation; the scale-free loss's gradient."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from advfrontier.frechet_loss.fd import Reference, frechet_distance, mean_cov
from advfrontier.frechet_loss.loss import fd_loss, scale_free
from advfrontier.frechet_loss.stats import EMAStats, FeatureQueue


def batches(n: int, b: int, d: int, seed: int = 0) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(b, d, generator=g, dtype=torch.float64) + i for i in range(n)]


def test_queue_stats_equal_direct_statistics_of_last_rows() -> None:
    size, b, d = 20, 6, 3
    q = FeatureQueue(size, d)
    seen: list[torch.Tensor] = []
    for x in batches(9, b, d):
        mu, sigma = q.stats(x)
        seen.append(x)
        rows = torch.cat(seen)[-size:].numpy()  # the last `size` rows, the current batch included
        assert np.allclose(mu.numpy(), rows.mean(0))
        assert np.allclose(sigma.numpy(), np.cov(rows.T))


def test_queue_of_batch_size_is_batch_statistics() -> None:
    q = FeatureQueue(8, 4)
    q.fill(torch.randn(8, 4))
    x = batches(1, 8, 4, seed=3)[0]
    mu, sigma = q.stats(x)
    m2, s2 = mean_cov(x)
    assert torch.allclose(mu, m2) and torch.allclose(sigma, s2)


def test_queue_gradient_reaches_only_the_batch_with_weight_one_over_n() -> None:
    size, d = 16, 2
    q = FeatureQueue(size, d)
    q.fill(torch.randn(size, d, dtype=torch.float64))
    x = torch.randn(4, d, dtype=torch.float64, requires_grad=True)
    mu, _ = q.stats(x)
    mu.sum().backward()
    assert torch.allclose(x.grad, torch.full_like(x, 1.0 / size))
    assert not q.buf.requires_grad


def test_ema_matches_explicit_weighted_moments() -> None:
    beta, d = 0.9, 3
    init = batches(1, 50, d, seed=5)[0]
    ema = EMAStats(beta, init)
    mu_ref, s_ref = init.mean(0), init.T @ init / len(init)
    for x in batches(6, 10, d, seed=6):
        mu, sigma = ema.stats(x)
        mu_ref = beta * mu_ref + (1 - beta) * x.mean(0)
        s_ref = beta * s_ref + (1 - beta) * x.T @ x / len(x)
        assert torch.allclose(mu, mu_ref) and torch.allclose(sigma, s_ref - torch.outer(mu_ref, mu_ref))


def test_ema_converges_to_the_population_covariance() -> None:
    g = torch.Generator().manual_seed(0)
    a = torch.tensor([[1.0, 0.0], [0.8, 0.5]], dtype=torch.float64)
    ema = EMAStats(0.995, torch.zeros(4, 2, dtype=torch.float64))
    for _ in range(3000):
        mu, sigma = ema.stats(torch.randn(32, 2, generator=g, dtype=torch.float64) @ a.T + 2.0)
    assert torch.allclose(mu, torch.full((2,), 2.0, dtype=torch.float64), atol=0.05)
    assert torch.allclose(sigma, a @ a.T, atol=0.05)


def test_scale_free_loss_gradient_is_gradient_of_log_fd() -> None:
    w = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    fd = w**2 + 1.0
    scale_free(fd, weight=2.0, c=0.0).backward()
    assert float(w.grad) == pytest.approx(2.0 * 2 * 3.0 / 10.0)  # 2 · d log(w² + 1)/dw


def test_fd_loss_sums_spaces_and_reports_population_fd() -> None:
    g = torch.Generator().manual_seed(2)
    refs = {k: Reference.of(*mean_cov(torch.randn(100, 3, generator=g))) for k in ("a", "b")}
    pops = {k: FeatureQueue(12, 3) for k in refs}
    for p in pops.values():
        p.fill(torch.randn(12, 3, generator=g))
    rows = {k: p.buf.clone() for k, p in pops.items()}
    feats = {"a": torch.randn(4, 3, generator=g), "b": 10 * torch.randn(4, 3, generator=g)}
    loss, raw = fd_loss(feats, refs, pops)
    for k in refs:
        pop = torch.cat([feats[k].double(), rows[k][4:]])  # pointer at 0: the batch replaces rows 0..3
        assert raw[k] == pytest.approx(float(frechet_distance(*mean_cov(pop), refs[k])), rel=1e-9)
    assert float(loss) == pytest.approx(sum(r / (r + 0.01) for r in raw.values()), rel=1e-9)
