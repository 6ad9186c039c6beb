"""The two heads: an FP16 (or FP32) trait head and an INT-b (or FP32) state head, quantisation-aware.

MP-IB: z_T = half(W_T e + b_T) (64-d), z_S = q_b(Q_b(W_S) e + b_S) (32-d, b = 4 at the end of training),
where Q_b quantises the head's weights per output row with a max-abs scale and q_b the code with a learned
clip range r (s = r / (2^(b−1) − 1)), both with the straight-through estimator of quant.py.
"""

from __future__ import annotations

import torch
from torch import nn

from advfrontier.mpib.quant import fp16_ste, int_range, maxabs_scale, quantize_ste


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
        self, hidden: int, dim: int, bits: int | None, out_mult: int = 1, quant_weights: bool = True
    ) -> None:
        super().__init__()
        self.lin = nn.Linear(hidden, dim * out_mult)
        self.bits = bits
        self.quant_weights = quant_weights
        self.clip = nn.Parameter(torch.ones(()))
        self.register_buffer("clip_ready", torch.zeros((), dtype=torch.bool))

    def weight_scale(self) -> torch.Tensor:
        assert self.bits is not None
        return maxabs_scale(self.lin.weight, self.bits, dim=0)

    def code_scale(self) -> torch.Tensor:
        assert self.bits is not None
        return self.clip.abs().clamp_min(1e-6) / int_range(self.bits)[1]

    def forward(self, e: torch.Tensor) -> torch.Tensor:
        if self.bits is None:
            return self.lin(e)
        w = (
            quantize_ste(self.lin.weight, self.weight_scale(), self.bits)
            if self.quant_weights
            else self.lin.weight
        )
        z = nn.functional.linear(e, w, self.lin.bias)
        if not bool(self.clip_ready):  # the clip range starts at the first batch's max |z|
            with torch.no_grad():
                self.clip.fill_(float(z.detach().abs().max().clamp_min(1e-3)))
                self.clip_ready.fill_(True)
        return quantize_ste(z, self.code_scale(), self.bits)
