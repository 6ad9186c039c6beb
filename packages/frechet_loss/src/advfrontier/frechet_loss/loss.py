"""The scale-free FD-loss over several representation spaces.

L = Σ_r w_r · FD_r / (sg(FD_r) + c), c = 0.01: its gradient is w_r ∇FD_r / FD_r = w_r ∇ log FD_r, so
spaces whose FDs differ by orders of magnitude pull with comparable strength.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from torch import Tensor

from advfrontier.frechet_loss.fd import Reference, frechet_distance
from advfrontier.frechet_loss.stats import EMAStats, FeatureQueue

Population = FeatureQueue | EMAStats


def scale_free(fd: Tensor, weight: float = 1.0, c: float = 0.01) -> Tensor:
    # Paper's loss (released code; equation number not retrieved): w · FD / (stopgrad(FD) + c)
    return weight * fd / (fd.detach() + c)


def fd_loss(
    feats: Mapping[str, Tensor],
    refs: Mapping[str, Reference],
    pops: Mapping[str, Population],
    weights: Mapping[str, float] | None = None,
    c: float = 0.01,
) -> tuple[Tensor, dict[str, float]]:
    """Σ_r w_r FD_r/(sg(FD_r)+c) with each FD_r on population statistics; also the raw FDs."""
    total: Tensor | None = None
    raw: dict[str, float] = {}
    for name, f in feats.items():
        mu, sigma = pops[name].stats(f)
        fd = frechet_distance(mu, sigma, refs[name])
        raw[name] = float(fd.detach())
        term = scale_free(fd, 1.0 if weights is None else weights[name], c)
        total = term if total is None else total + term
    if total is None:
        raise ValueError("fd_loss needs at least one representation space")
    return total, raw


def spaces_of(names: Sequence[str], known: Sequence[str]) -> list[str]:
    """Check that every named space exists."""
    bad = [n for n in names if n not in known]
    if bad:
        raise ValueError(f"unknown representation space(s) {bad}; expected some of {list(known)}")
    return list(names)
