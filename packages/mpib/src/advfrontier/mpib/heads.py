"""The two heads: an FP16 (or FP32) trait head and an INT-b (or FP32) state head, quantisation-aware.

MP-IB: z_T = half(W_T e + b_T) (64-d), z_S = q_b(Q_b(W_S) e + b_S) (32-d, b = 4 at the end of training),
where Q_b quantises the head's weights per output row with a max-abs scale and q_b the code with one scale
s_c per code channel c, set by one of three quantisers (``QUANTISERS``, chosen on validation speakers):

* ``maxabs``: s_c = r_c / Q_p with r_c a running (EMA) max |z_c| over training batches (calibration);
* ``percentile``: the same with r_c a running 99th percentile of |z_c| (clips the outliers);
* ``lsq``: s_c learned by LSQ (Esser et al. 2020), initialised at 2·mean|z_c|/√Q_p, gradient scaled by
  g = 1/√(B·Q_p) (B codes per channel in a batch).

Q_p = 2^(b−1) − 1. Under dynamic precision scheduling the observers' ranges carry over unchanged when b
changes, and LSQ's steps are rescaled by Q_p(old)/Q_p(new) so that the clip range is kept.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from advfrontier.mpib.quant import fp16_ste, grad_scale, int_range, maxabs_scale, quantize_ste

QUANTISERS: tuple[str, ...] = ("maxabs", "percentile", "lsq")
PERCENTILE = 0.99
"""The ``percentile`` quantiser's quantile of |z_c|."""
MOMENTUM = 0.1
"""EMA weight of a new batch in the observers' running ranges."""


class TraitHead(nn.Module):
    """Linear map to the trait code, rounded to FP16 when ``fp16``."""

    def __init__(self, hidden: int, dim: int, fp16: bool, out_mult: int = 1) -> None:
        super().__init__()
        self.lin = nn.Linear(hidden, dim * out_mult)
        self.fp16 = fp16

    def forward(self, e: torch.Tensor) -> torch.Tensor:
        z = self.lin(e)
        return fp16_ste(z) if self.fp16 else z


class QuantStateHead(nn.Module):
    """Linear map to the state code; weights and code fake-quantised to ``bits`` when ``bits`` is set."""

    def __init__(
        self,
        hidden: int,
        dim: int,
        bits: int | None,
        out_mult: int = 1,
        quant_weights: bool = True,
        quantiser: str = "maxabs",
    ) -> None:
        super().__init__()
        if quantiser not in QUANTISERS:
            raise ValueError(f"quantiser must be one of {QUANTISERS}, got {quantiser!r}")
        out = dim * out_mult
        self.lin = nn.Linear(hidden, out)
        self._bits = bits
        self.quant_weights = quant_weights
        self.quantiser = quantiser
        self.register_buffer("ready", torch.zeros((), dtype=torch.bool))
        if quantiser == "lsq":
            self.step = nn.Parameter(torch.ones(out))
        else:
            self.register_buffer("range_", torch.ones(out))

    @property
    def bits(self) -> int | None:
        return self._bits

    @bits.setter
    def bits(self, bits: int | None) -> None:
        """Change the width; LSQ's steps are rescaled so that the clip range s·Q_p is kept."""
        if self.quantiser == "lsq" and self._bits is not None and bits is not None and bool(self.ready):
            with torch.no_grad():
                self.step.mul_(int_range(self._bits)[1] / int_range(bits)[1])
        self._bits = bits

    def weight_scale(self) -> torch.Tensor:
        assert self.bits is not None
        return maxabs_scale(self.lin.weight, self.bits, dim=0)

    def code_scale(self) -> torch.Tensor:
        """Per-channel step s_c of the code (detached for the observers, learned for LSQ)."""
        assert self.bits is not None
        if self.quantiser == "lsq":
            return self.step.abs().clamp_min(1e-6)
        return self.range_.clamp_min(1e-6) / int_range(self.bits)[1]

    @torch.no_grad()
    def _observe(self, z: torch.Tensor) -> None:
        qmax = int_range(self.bits)[1]  # type: ignore[arg-type]
        a = z.detach().abs()
        if self.quantiser == "lsq":
            if not bool(self.ready):
                self.step.copy_((2 * a.mean(0) / math.sqrt(qmax)).clamp_min(1e-4))
        else:
            stat = a.amax(0) if self.quantiser == "maxabs" else torch.quantile(a, PERCENTILE, dim=0)
            stat = stat.clamp_min(1e-4)
            if bool(self.ready):
                stat = (1 - MOMENTUM) * self.range_ + MOMENTUM * stat
            self.range_.copy_(stat)
        self.ready.fill_(True)

    def forward(self, e: torch.Tensor) -> torch.Tensor:
        if self.bits is None:
            return self.lin(e)
        w = (
            quantize_ste(self.lin.weight, self.weight_scale(), self.bits)
            if self.quant_weights
            else self.lin.weight
        )
        z = nn.functional.linear(e, w, self.lin.bias)
        if self.training or not bool(self.ready):
            self._observe(z)
        scale = self.code_scale()
        if self.quantiser == "lsq":
            scale = grad_scale(scale, 1.0 / math.sqrt(z.shape[0] * int_range(self.bits)[1]))
        return quantize_ste(z, scale, self.bits)
