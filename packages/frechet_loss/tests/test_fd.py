"""FD against closed forms, scipy's sqrtm formula, its analytic gradient and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from advfrontier.frechet_loss.fd import (
    Reference,
    fd_gradients,
    fd_of_features,
    fd_scipy,
    frechet_distance,
    mean_cov,
    sqrtm_psd,
)


def random_spd(d: int, seed: int, cond: float = 10.0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    q, _ = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
    w = torch.logspace(0, np.log10(cond), d, dtype=torch.float64)
    return (q * w) @ q.T


def test_one_dimensional_closed_form() -> None:
    # FD(N(a, s²), N(b, t²)) = (a − b)² + (s − t)²
    ref = Reference.of(torch.tensor([1.5]), torch.tensor([[4.0]]))
    fd = frechet_distance(torch.tensor([-0.5]), torch.tensor([[0.25]]), ref)
    assert float(fd) == pytest.approx((2.0) ** 2 + (0.5 - 2.0) ** 2, rel=1e-10)


def test_commuting_covariances_closed_form() -> None:
    # diagonal Σ, Σ_r: FD = ‖Δμ‖² + Σ (√a_i − √b_i)²
    a = torch.tensor([0.5, 2.0, 3.0, 0.1], dtype=torch.float64)
    b = torch.tensor([1.0, 1.0, 5.0, 0.4], dtype=torch.float64)
    mu, mu_r = torch.tensor([0.0, 1.0, 2.0, 3.0]), torch.tensor([1.0, 1.0, 0.0, 3.0])
    fd = frechet_distance(mu, torch.diag(a), Reference.of(mu_r, torch.diag(b)))
    expected = float(((mu - mu_r) ** 2).sum() + ((a.sqrt() - b.sqrt()) ** 2).sum())
    assert float(fd) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("d", [3, 16, 40])
def test_matches_scipy_sqrtm(d: int) -> None:
    s1, s2 = random_spd(d, 1), random_spd(d, 2, cond=100.0)
    g = torch.Generator().manual_seed(3)
    m1, m2 = (
        torch.randn(d, generator=g, dtype=torch.float64),
        torch.randn(d, generator=g, dtype=torch.float64),
    )
    ours = float(frechet_distance(m1, s1, Reference.of(m2, s2)))
    theirs = fd_scipy(m1.numpy(), s1.numpy(), m2.numpy(), s2.numpy())
    assert ours == pytest.approx(theirs, rel=1e-8, abs=1e-8)


def test_features_fd_matches_scipy_with_rank_deficient_batch() -> None:
    # 20 samples in 32 dims: the generated covariance is singular, as a batch of 1024 is in DINOv2's 1024-d
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(20, 32, generator=g), 1.5 * torch.randn(500, 32, generator=g) + 0.3
    ref = Reference.of(*mean_cov(y))
    mx, sx = (t.numpy() for t in mean_cov(x))
    my, sy = (t.numpy() for t in mean_cov(y))
    assert float(fd_of_features(x, ref)) == pytest.approx(fd_scipy(mx, sx, my, sy), rel=1e-6)


def test_rank_deficient_fd_equals_scipy_to_1e_10() -> None:
    # Σ with 11 zero eigenvalues (dead feature dimensions) against a full-rank Σ_r: scipy's sqrtm is exact
    # on these (diagonal) matrices; a value floored at 1e-12 per eigenvalue would be off by 11 × 2e-6
    g = torch.Generator().manual_seed(5)
    a = torch.cat(
        [torch.rand(5, generator=g, dtype=torch.float64) + 0.5, torch.zeros(11, dtype=torch.float64)]
    )
    b = torch.rand(16, generator=g, dtype=torch.float64) + 0.5
    mu, mu_r = torch.randn(16, generator=g, dtype=torch.float64), torch.zeros(16, dtype=torch.float64)
    ours = float(frechet_distance(mu, torch.diag(a), Reference.of(mu_r, torch.diag(b))))
    theirs = fd_scipy(mu.numpy(), torch.diag(a).numpy(), mu_r.numpy(), torch.diag(b).numpy())
    assert abs(ours - theirs) < 1e-10


def test_rotated_rank_deficient_fd_equals_closed_form_to_1e_10() -> None:
    # the same spectra in a random basis: eigvalsh returns ±1e-16 for the zero eigenvalues, which must not
    # become 1e-8 each in tr(·)^½ (scipy's sqrtm itself is only ~1e-7 accurate on this singular product)
    g = torch.Generator().manual_seed(6)
    q, _ = torch.linalg.qr(torch.randn(16, 16, generator=g, dtype=torch.float64))
    a = torch.cat(
        [torch.rand(5, generator=g, dtype=torch.float64) + 0.5, torch.zeros(11, dtype=torch.float64)]
    )
    b = torch.rand(16, generator=g, dtype=torch.float64) + 0.5
    mu, mu_r = torch.randn(16, generator=g, dtype=torch.float64), torch.zeros(16, dtype=torch.float64)
    fd = frechet_distance(mu, (q * a) @ q.T, Reference.of(mu_r, (q * b) @ q.T))
    exact = float(((mu - mu_r) ** 2).sum() + ((a.sqrt() - b.sqrt()) ** 2).sum())
    assert abs(float(fd) - exact) < 1e-10


def test_rank_deficient_gradient_is_finite() -> None:
    g = torch.Generator().manual_seed(7)
    x = torch.randn(6, 12, generator=g, dtype=torch.float64, requires_grad=True)
    ref = Reference.of(*mean_cov(torch.randn(300, 12, generator=g, dtype=torch.float64)))
    fd_of_features(x, ref).backward()
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0


def test_zero_iff_equal_statistics() -> None:
    s = random_spd(6, 4)
    mu = torch.arange(6, dtype=torch.float64)
    ref = Reference.of(mu, s)
    assert abs(float(frechet_distance(mu, s, ref))) < 1e-9
    assert float(frechet_distance(mu + 1e-2, s, ref)) == pytest.approx(6e-4, rel=1e-6)
    assert float(frechet_distance(mu, s * 1.1, ref)) > 1e-4
    assert float(frechet_distance(mu, random_spd(6, 5), ref)) > 1e-3


def test_symmetric_and_nonnegative() -> None:
    s1, s2 = random_spd(8, 6), random_spd(8, 7, cond=1e3)
    m1, m2 = torch.zeros(8), torch.ones(8)
    ab = float(frechet_distance(m1, s1, Reference.of(m2, s2)))
    ba = float(frechet_distance(m2, s2, Reference.of(m1, s1)))
    assert ab == pytest.approx(ba, rel=1e-9) and ab > 0


def test_sqrtm_psd_squares_back() -> None:
    s = random_spd(10, 8, cond=1e4)
    r = sqrtm_psd(s)
    assert torch.allclose(r @ r, s, atol=1e-9) and torch.allclose(r, r.T)


def test_analytic_gradient_matches_autograd() -> None:
    d = 7
    ref = Reference.of(torch.randn(d, dtype=torch.float64), random_spd(d, 9))
    mu = torch.randn(d, dtype=torch.float64, requires_grad=True)
    sigma = random_spd(d, 10).requires_grad_(True)
    frechet_distance(mu, sigma, ref).backward()
    g_mu, g_sigma = fd_gradients(mu.detach(), sigma.detach(), ref)
    assert torch.allclose(mu.grad, g_mu, atol=1e-10)
    assert torch.allclose(mu.grad, 2 * (mu.detach() - ref.mu), atol=1e-10)
    assert torch.allclose(sigma.grad, g_sigma, atol=1e-8)


def test_gradient_matches_finite_differences() -> None:
    d, h = 5, 1e-6
    ref = Reference.of(torch.zeros(d, dtype=torch.float64), random_spd(d, 11))
    mu, sigma = torch.randn(d, dtype=torch.float64), random_spd(d, 12)
    _, g_sigma = fd_gradients(mu, sigma, ref)
    g = torch.Generator().manual_seed(0)
    for _ in range(4):
        e = torch.randn(d, d, generator=g, dtype=torch.float64)
        e = e + e.T  # a symmetric direction
        fd_plus = frechet_distance(mu, sigma + h * e, ref)
        fd_minus = frechet_distance(mu, sigma - h * e, ref)
        numeric = float(fd_plus - fd_minus) / (2 * h)
        assert numeric == pytest.approx(float((g_sigma * e).sum()), rel=1e-5, abs=1e-7)


def test_gradient_through_features_matches_finite_differences() -> None:
    # the loss as trained: FD of a sample's Gaussian fit, differentiated w.r.t. the samples
    g = torch.Generator().manual_seed(1)
    x = torch.randn(30, 4, generator=g, dtype=torch.float64, requires_grad=True)
    ref = Reference.of(*mean_cov(torch.randn(200, 4, generator=g, dtype=torch.float64) * 2))
    fd_of_features(x, ref).backward()
    e = torch.randn(30, 4, generator=g, dtype=torch.float64)
    h = 1e-6
    with torch.no_grad():
        numeric = float(fd_of_features(x + h * e, ref) - fd_of_features(x - h * e, ref)) / (2 * h)
    assert numeric == pytest.approx(float((x.grad * e).sum()), rel=1e-5)
