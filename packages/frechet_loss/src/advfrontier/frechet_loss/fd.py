"""The Fréchet distance between two Gaussians, differentiable, as the FD-loss computes it.

FD = ‖μ − μ_r‖² + tr Σ + tr Σ_r − 2 tr (Σ_r^½ Σ Σ_r^½)^½.  Σ_r^½ is computed once by ``eigh``; each call
takes the eigenvalues of the symmetric M = sym(Σ_r^½ Σ Σ_r^½) with ``eigvalsh`` and autograd flows through
them (as the released code does; no Newton–Schulz iteration).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

EIG_FLOOR = 1e-12
"""For the gradient only, eigenvalues of M are floored here so that d√λ/dλ = 1/(2√λ) stays finite."""


def sqrt_eigenvalues(lam: Tensor) -> Tensor:
    """√λ for the eigenvalues of a PSD matrix: the value clamps at 0 (and zeroes eigenvalues within
    d·eps·λ_max of 0, the round-off of ``eigvalsh``), the gradient is that of √max(λ, EIG_FLOOR).

    Flooring the value as well would add √1e-12 = 1e-6 to tr(·)^½ for every zero eigenvalue, a bias
    whenever Σ is rank-deficient (fewer generated rows than feature dimensions).
    """
    with torch.no_grad():
        tol = lam.shape[-1] * torch.finfo(lam.dtype).eps * lam.abs().amax(-1, keepdim=True)
        exact = torch.where(lam > tol, lam, torch.zeros_like(lam)).sqrt()
    floored = lam.clamp_min(EIG_FLOOR).sqrt()
    return floored + (exact - floored).detach()


def sym(a: Tensor) -> Tensor:
    """The symmetric part (A + Aᵀ)/2."""
    return 0.5 * (a + a.transpose(-1, -2))


def sqrtm_psd(a: Tensor) -> Tensor:
    """The PSD square root of a symmetric matrix by ``eigh`` (negative eigenvalues clamped at 0)."""
    w, v = torch.linalg.eigh(sym(a))
    return (v * w.clamp_min(0).sqrt()) @ v.transpose(-1, -2)


@dataclass(frozen=True)
class Reference:
    """Real statistics with the pieces the loss reuses every step."""

    mu: Tensor
    sigma: Tensor
    sigma_sqrt: Tensor
    trace: Tensor

    @staticmethod
    def of(mu: Tensor, sigma: Tensor) -> Reference:
        mu, sigma = mu.detach().double(), sym(sigma.detach().double())
        return Reference(mu, sigma, sqrtm_psd(sigma), torch.trace(sigma))

    def to(self, device: str | torch.device) -> Reference:
        return Reference(*(t.to(device) for t in (self.mu, self.sigma, self.sigma_sqrt, self.trace)))


def mean_cov(x: Tensor) -> tuple[Tensor, Tensor]:
    """Mean and unbiased covariance (as ``np.cov``) of the rows of ``x``, in float64."""
    x = x.double()
    mu = x.mean(0)
    xc = x - mu
    return mu, xc.T @ xc / (x.shape[0] - 1)


def frechet_distance(mu: Tensor, sigma: Tensor, ref: Reference) -> Tensor:
    """FD between N(μ, Σ) and the reference Gaussian, differentiable in μ and Σ."""
    mu, sigma = mu.double(), sigma.double()
    m = sym(ref.sigma_sqrt @ sigma @ ref.sigma_sqrt)
    root = sqrt_eigenvalues(torch.linalg.eigvalsh(m))
    return ((mu - ref.mu) ** 2).sum() + torch.trace(sigma) + ref.trace - 2.0 * root.sum()


def fd_of_features(x: Tensor, ref: Reference) -> Tensor:
    """FD between the Gaussian fit of the rows of ``x`` and the reference."""
    mu, sigma = mean_cov(x)
    return frechet_distance(mu, sigma, ref)


def fd_gradients(mu: Tensor, sigma: Tensor, ref: Reference) -> tuple[Tensor, Tensor]:
    """Analytic ∂FD/∂μ = 2(μ − μ_r) and ∂FD/∂Σ = I − Σ_r^½ M^−½ Σ_r^½ (M = Σ_r^½ Σ Σ_r^½, PD)."""
    mu, sigma = mu.double(), sigma.double()
    m = sym(ref.sigma_sqrt @ sigma @ ref.sigma_sqrt)
    w, v = torch.linalg.eigh(m)
    m_inv_sqrt = (v / w.clamp_min(EIG_FLOOR).sqrt()) @ v.T
    eye = torch.eye(len(mu), dtype=torch.float64, device=mu.device)
    return 2.0 * (mu - ref.mu), eye - ref.sigma_sqrt @ m_inv_sqrt @ ref.sigma_sqrt


def fd_scipy(mu1: np.ndarray, s1: np.ndarray, mu2: np.ndarray, s2: np.ndarray) -> float:
    """The pytorch-fid / clean-fid formula with ``scipy.linalg.sqrtm`` of Σ₁Σ₂: an independent check."""
    from scipy import linalg

    covmean = linalg.sqrtm(s1 @ s2)
    covmean = np.real(covmean)
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * np.trace(covmean))
