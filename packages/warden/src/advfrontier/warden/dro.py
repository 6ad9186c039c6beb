"""WARDEN's loss-aggregation layer: the worst case of the mean loss over an f-divergence ball.

Given the per-example adversarial losses ℓ_1..ℓ_n of a batch, the uniform average of CAT/CAPO is
replaced by   sup_{q ∈ Δ_n, D_f(q ‖ u) ≤ ε} Σ_i q_i ℓ_i   (u = uniform). The weights q* are computed
without gradient (float64) and the loss is Σ_i q*_i ℓ_i: by Danskin's theorem its gradient Σ q*_i ∇ℓ_i is
the gradient of the worst-case objective. ε → 0 gives the uniform average back.

Members of the family (closed forms / one-dimensional duals, standard results):
- KL:  q = softmax(ℓ/λ*), λ* solving KL(q(λ) ‖ u) = ε (bisection on log λ); value = λε + λ log mean e^{ℓ/λ}.
- χ² (½·E_u[(n q − 1)²] ≤ ρ):  q ∝ (ℓ − η*)₊, η* solving the divergence = ρ (bisection on η).
- CVaR_α (q_i ≤ 1/(αn)):  the mean of the top α fraction.
- tilted (fixed λ, the penalised KL variant):  λ log mean e^{ℓ/λ}.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

AGGREGATORS: tuple[str, ...] = ("mean", "kl", "chi2", "cvar", "tilted")
_BISECT_ITERS = 80


def _as64(losses: Tensor) -> Tensor:
    if losses.dim() != 1 or losses.numel() == 0:
        raise ValueError(f"losses must be a non-empty 1-D tensor, got shape {tuple(losses.shape)}")
    return losses.detach().to(torch.float64)


def _on_argmax(x: Tensor, tol: float = 1e-12) -> Tensor:
    top = (x >= x.max() - tol).to(torch.float64)
    return top / top.sum()


def kl_to_uniform(q: Tensor) -> Tensor:
    """KL(q ‖ uniform) = Σ q_i log(n q_i), with 0 log 0 = 0."""
    n = q.numel()
    return torch.where(q > 0, q * torch.log(n * q.clamp_min(1e-300)), torch.zeros_like(q)).sum()


def chi2_to_uniform(q: Tensor) -> Tensor:
    """D_χ²(q ‖ uniform) = ½·(1/n)·Σ (n q_i − 1)² = ½·(n Σ q_i² − 1)."""
    n = q.numel()
    return 0.5 * (n * (q * q).sum() - 1.0)


def kl_weights(losses: Tensor, eps: float) -> tuple[Tensor, float]:
    """Worst-case weights in the KL ball of radius ε and the dual variable λ* (inf when uniform)."""
    x = _as64(losses)
    n = x.numel()
    spread = float(x.max() - x.min())
    if eps <= 0 or n == 1 or spread < 1e-12:
        return torch.full_like(x, 1.0 / n), math.inf
    top = _on_argmax(x)
    if eps >= float(kl_to_uniform(top)) - 1e-12:  # the ball holds the max: λ* → 0
        return top, 0.0

    def kl_at(log_lam: float) -> float:
        return float(kl_to_uniform(torch.softmax(x / math.exp(log_lam), 0)))

    lo, hi = math.log(spread) - 1.0, math.log(spread) + 1.0
    while kl_at(lo) < eps:  # small λ: KL large
        lo -= 2.0
    while kl_at(hi) > eps:  # large λ: KL → 0
        hi += 2.0
    for _ in range(_BISECT_ITERS):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if kl_at(mid) > eps else (lo, mid)
    lam = math.exp(0.5 * (lo + hi))
    return torch.softmax(x / lam, 0), lam


def kl_dual(losses: Tensor, eps: float, lam: float) -> Tensor:
    """Dual objective λε + λ·log((1/n) Σ exp(ℓ_i/λ)) of the KL ball (an upper bound for every λ > 0)."""
    x = _as64(losses)
    return lam * eps + lam * (torch.logsumexp(x / lam, 0) - math.log(x.numel()))


def chi2_weights(losses: Tensor, rho: float) -> Tensor:
    """Worst-case weights in the χ² ball ½·E_u[(nq − 1)²] ≤ ρ: q ∝ (ℓ − η*)₊."""
    x = _as64(losses)
    n = x.numel()
    spread = float(x.max() - x.min())
    if rho <= 0 or n == 1 or spread < 1e-12:
        return torch.full_like(x, 1.0 / n)
    top = _on_argmax(x)
    if rho >= float(chi2_to_uniform(top)) - 1e-12:
        return top

    def q_at(eta: float) -> Tensor:
        p = (x - eta).clamp_min(0)
        return p / p.sum()

    xmax = float(x.max())
    lo, hi = float(x.min()) - spread, xmax
    while float(chi2_to_uniform(q_at(lo))) > rho:  # η → −∞: q → uniform
        lo -= 2.0 * (xmax - lo)
    for _ in range(_BISECT_ITERS):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if float(chi2_to_uniform(q_at(mid))) > rho else (mid, hi)
    return q_at(lo)


def cvar_weights(losses: Tensor, alpha: float) -> Tensor:
    """CVaR_α weights: 1/(αn) on the largest losses until the mass is 1 (a fraction on the last one)."""
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1], got {alpha}")
    x = _as64(losses)
    n = x.numel()
    cap = 1.0 / (alpha * n)
    order = torch.argsort(x, descending=True)
    q = torch.zeros_like(x)
    left = 1.0
    for i in order.tolist():
        take = min(cap, left)
        q[i] = take
        left -= take
        if left <= 1e-15:
            break
    return q


def dro_weights(losses: Tensor, kind: str, radius: float) -> Tensor:
    """The worst-case weights of ``kind`` (see AGGREGATORS) at ``radius`` (ε, ρ, α or λ)."""
    if kind == "mean":
        x = _as64(losses)
        return torch.full_like(x, 1.0 / x.numel())
    if kind == "kl":
        return kl_weights(losses, radius)[0]
    if kind == "chi2":
        return chi2_weights(losses, radius)
    if kind == "cvar":
        return cvar_weights(losses, radius)
    if kind == "tilted":
        return torch.softmax(_as64(losses) / radius, 0)
    raise ValueError(f"unknown aggregator {kind!r}; expected one of {AGGREGATORS}")


def aggregate(losses: Tensor, kind: str = "mean", radius: float = 0.0) -> tuple[Tensor, Tensor]:
    """WARDEN's aggregated adversarial loss Σ q*_i ℓ_i (its gradient: Σ q*_i ∇ℓ_i) and the weights q*."""
    q = dro_weights(losses, kind, radius).to(losses.dtype)
    return (q * losses).sum(), q


def tilted_loss(losses: Tensor, lam: float) -> Tensor:
    """Penalised KL-DRO at a fixed temperature λ: λ·log((1/n) Σ exp(ℓ_i/λ)) (differentiable as is)."""
    return lam * (torch.logsumexp(losses / lam, 0) - math.log(losses.numel()))
