"""Non-FD distribution losses for the same one-step fine-tuning: MMD and mean/variance matching.

They run through the same loop, spaces, batch, steps and learning rate as the FD-loss and take the same
scale-free form L = Σ_r D_r / (sg(D_r) + c), so only the distance D differs:

- ``moments``: D = ‖μ − μ_r‖² + ‖σ − σ_r‖² with σ the per-dimension standard deviations over the same
  queue population as the FD-loss: the FD of the Gaussians with their off-diagonal covariances dropped.
- ``mmd``: the (biased, V-statistic) squared MMD of Gretton et al. (2012) between the generated batch and
  a fresh batch of real train features, with a Gaussian RBF kernel summed over bandwidths {½, 1, 2}·h,
  h the median pairwise distance of the real features (the median heuristic), fixed before training.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import Tensor

from advfrontier.frechet_loss.fd import Reference
from advfrontier.frechet_loss.loss import Population, scale_free

BANDWIDTH_FACTORS: tuple[float, ...] = (0.5, 1.0, 2.0)


def moment_distance(mu: Tensor, sigma: Tensor, ref: Reference) -> Tensor:
    """‖μ − μ_r‖² + ‖√diag Σ − √diag Σ_r‖² (float64)."""
    mu, sigma = mu.double(), sigma.double()
    sd = torch.diagonal(sigma).clamp_min(1e-12).sqrt()
    sd_r = torch.diagonal(ref.sigma).clamp_min(0.0).sqrt()
    return ((mu - ref.mu) ** 2).sum() + ((sd - sd_r) ** 2).sum()


def median_bandwidth(x: Tensor, max_rows: int = 2000) -> float:
    """The median pairwise Euclidean distance between (up to ``max_rows``) rows of ``x``."""
    x = x[:max_rows].double()
    d = torch.cdist(x, x)
    iu = torch.triu_indices(len(x), len(x), offset=1)
    return float(torch.quantile(d[iu[0], iu[1]], 0.5))  # the midpoint of the two middle values


def mmd2_rbf(
    x: Tensor, y: Tensor, bandwidth: float, factors: tuple[float, ...] = BANDWIDTH_FACTORS
) -> Tensor:
    """Biased squared MMD between the rows of x and y with Σ_s exp(−‖a − b‖² / (2 (s·h)²))."""
    x, y = x.double(), y.double()
    z = torch.cat([x, y])
    d2 = torch.cdist(z, z).pow(2)
    k = sum(torch.exp(-d2 / (2.0 * (f * bandwidth) ** 2)) for f in factors)
    n = len(x)
    return k[:n, :n].mean() + k[n:, n:].mean() - 2.0 * k[:n, n:].mean()


class MomentCriterion:
    """Scale-free mean/variance matching on the queue populations."""

    def __init__(self, refs: Mapping[str, Reference], pops: Mapping[str, Population], c: float = 0.01):
        self.refs, self.pops, self.c = refs, pops, c

    def __call__(self, feats: Mapping[str, Tensor]) -> tuple[Tensor, dict[str, float]]:
        total, raw = None, {}
        for name, f in feats.items():
            mu, sigma = self.pops[name].stats(f)
            d = moment_distance(mu, sigma, self.refs[name])
            raw[name] = float(d.detach())
            total = scale_free(d, 1.0, self.c) if total is None else total + scale_free(d, 1.0, self.c)
        return total, raw


class MMDCriterion:
    """Scale-free RBF-MMD² between the generated batch and ``real_batch`` random real rows per step."""

    def __init__(
        self, real: Mapping[str, Tensor], real_batch: int, generator: torch.Generator, c: float = 0.01
    ) -> None:
        self.real = {k: v.detach().double() for k, v in real.items()}
        self.h = {k: median_bandwidth(v) for k, v in self.real.items()}
        self.real_batch, self.g, self.c = real_batch, generator, c

    def __call__(self, feats: Mapping[str, Tensor]) -> tuple[Tensor, dict[str, float]]:
        total, raw = None, {}
        for name, f in feats.items():
            r = self.real[name]
            idx = torch.randint(len(r), (min(self.real_batch, len(r)),), generator=self.g)
            d = mmd2_rbf(f, r[idx], self.h[name])
            raw[name] = float(d.detach())
            total = scale_free(d, 1.0, self.c) if total is None else total + scale_free(d, 1.0, self.c)
        return total, raw
