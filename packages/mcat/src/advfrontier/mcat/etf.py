"""The simplex equiangular tight frame (ETF) and MCAT's ETF regulariser R_ETF on classifier weights.

A simplex ETF of C classes in R^d (d ≥ C−1) is C unit vectors whose pairwise inner products all equal
−1/(C−1) (the largest equal separation possible); their Gram matrix is T = C/(C−1)·I − 1/(C−1)·11ᵀ.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def etf_gram(num_classes: int, dtype: torch.dtype = torch.float32) -> Tensor:
    """T: 1 on the diagonal, −1/(C−1) off it."""
    if num_classes < 2:
        raise ValueError(f"an ETF needs at least 2 classes, got {num_classes}")
    c = num_classes
    return (c / (c - 1)) * torch.eye(c, dtype=dtype) - torch.ones(c, c, dtype=dtype) / (c - 1)


def simplex_etf(num_classes: int, dim: int, seed: int = 0) -> Tensor:
    """A fixed (C, d) simplex ETF: the centred standard basis sqrt(C/(C−1))·(I − 11ᵀ/C), rotated into R^d.

    (I − 11ᵀ/C) has rank C−1, so it is written in an orthonormal basis of its span first; d = C−1 fits.
    Its rows are unit vectors that sum to zero, with Gram matrix :func:`etf_gram`.
    """
    c = num_classes
    if dim < c - 1:
        raise ValueError(f"a simplex ETF of {c} classes needs dim >= {c - 1}, got {dim}")
    centred = torch.eye(c) - torch.ones(c, c) / c
    # an orthonormal basis of the centred subspace (rank C−1), then rotated into R^d
    basis = torch.linalg.svd(centred).U[:, : c - 1]  # (C, C−1): centred = basis·basisᵀ
    g = torch.Generator().manual_seed(seed)
    rot, _ = torch.linalg.qr(torch.randn(dim, c - 1, generator=g, dtype=torch.float64))
    frame = basis.double() @ rot.T  # (C, d), rows orthogonal projections of the standard basis
    return (frame * (c / (c - 1)) ** 0.5).float()


def etf_penalty(weight: Tensor) -> Tensor:
    # R_ETF (MCAT appendix, geometric term): mean over the C² entries of (ŴŴᵀ − T)², Ŵ row-normalised
    w = F.normalize(weight, dim=1)
    target = etf_gram(weight.shape[0], weight.dtype).to(weight.device)
    return ((w @ w.T - target) ** 2).mean()
