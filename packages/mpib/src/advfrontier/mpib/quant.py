"""Precision of the heads: FP16 rounding, signed b-bit (INT4) quantisation with a straight-through estimator.

INT-b quantiser with scale s:  q(x) = s · clamp(round(x / s), −2^(b−1), 2^(b−1) − 1).
Straight-through estimator (clipped): ∂q/∂x = 1 where −2^(b−1) ≤ x/s ≤ 2^(b−1) − 1, else 0; with a learned
scale the gradient ∂q/∂s = round(x/s) − x/s inside the range and the clip level outside (LSQ, Esser et al.
2020), multiplied by LSQ's gradient scale g = 1/√(N·Q_p) (N elements per step, Q_p = 2^(b−1) − 1) through
:func:`grad_scale`. FP16: x ↦ half(x) forward, identity backward.
"""

from __future__ import annotations

import torch


def int_range(bits: int) -> tuple[int, int]:
    """Smallest and largest signed integer level of a ``bits``-bit code (two's complement)."""
    if bits < 2:
        raise ValueError(f"bits must be >= 2, got {bits}")
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def fp16_ste(x: torch.Tensor) -> torch.Tensor:
    """Round to IEEE half precision in the forward pass; identity gradient."""
    return x + (x.half().float() - x).detach()


def maxabs_scale(x: torch.Tensor, bits: int, dim: int | None = None) -> torch.Tensor:
    """s = max|x| / (2^(b−1) − 1), per tensor (dim=None) or per slice along ``dim``; detached, never 0."""
    _, qmax = int_range(bits)
    if dim is None:
        m = x.detach().abs().max()
    else:
        m = x.detach().abs().amax(dim=[d for d in range(x.dim()) if d != dim], keepdim=True)
    return (m / qmax).clamp_min(1e-8)


def grad_scale(x: torch.Tensor, g: float) -> torch.Tensor:
    """x in the forward pass, gradient multiplied by g (LSQ's step-size gradient scale, Esser et al. 2020)."""
    return (x - x * g).detach() + x * g


def saturation(codes: torch.Tensor, bits: int) -> float:
    """Share (in [0, 1]) of integer codes at either end of the b-bit range."""
    qmin, qmax = int_range(bits)
    c = codes.detach().cpu()
    return float(((c == qmin) | (c == qmax)).float().mean())


def distinct_codes(codes: torch.Tensor) -> int:
    """Number of distinct code vectors among the rows of (N, D) integer codes."""
    return int(torch.unique(codes.detach().cpu(), dim=0).shape[0])


def int_codes(x: torch.Tensor, scale: torch.Tensor, bits: int) -> torch.Tensor:
    """Integer levels clamp(round(x / s), qmin, qmax) as int8 (no gradient): what is stored or sent."""
    qmin, qmax = int_range(bits)
    return torch.clamp(torch.round(x / scale), qmin, qmax).to(torch.int8)


def quantize_ste(x: torch.Tensor, scale: torch.Tensor, bits: int) -> torch.Tensor:
    """Fake-quantised x: s · clamp(round(x/s)) forward; clipped straight-through gradient to x, LSQ to s."""
    qmin, qmax = int_range(bits)
    xc = torch.clamp(x / scale, qmin, qmax)
    return scale * (xc + (torch.round(xc) - xc).detach())


def pack_int4(codes: torch.Tensor) -> bytes:
    """Two signed 4-bit levels per byte (low nibble first); odd lengths are padded with a 0 level."""
    c = codes.detach().flatten().to(torch.int16)
    if c.numel() and (c.min() < -8 or c.max() > 7):
        raise ValueError("INT4 codes must lie in [-8, 7]")
    u = (c & 0xF).to(torch.uint8)
    if u.numel() % 2:
        u = torch.cat([u, torch.zeros(1, dtype=torch.uint8)])
    return bytes((u[0::2] | (u[1::2] << 4)).tolist())


def unpack_int4(data: bytes, n: int) -> torch.Tensor:
    """Inverse of :func:`pack_int4`: the first ``n`` signed levels as int8."""
    b = torch.tensor(list(data), dtype=torch.int16)
    u = torch.stack([b & 0xF, (b >> 4) & 0xF], dim=1).flatten()[:n]
    return torch.where(u >= 8, u - 16, u).to(torch.int8)
