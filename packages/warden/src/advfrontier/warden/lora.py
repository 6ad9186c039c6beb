"""A minimal LoRA (Hu et al. 2022) for the paper scale: W x + (α/r)·B A dropout(x), B = 0 at start.

The released CAT code uses peft's LoRA on a 4-bit base; peft and bitsandbytes are not in this
environment, so this small module plays peft's part (same r, α, dropout, target layers).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

LLAMA_TARGETS: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float) -> None:
        super().__init__()
        self.base = base
        self.scale = alpha / r
        self.dropout = nn.Dropout(dropout)
        w = base.weight
        self.lora_a = nn.Parameter(torch.empty(r, base.in_features, device=w.device, dtype=torch.float32))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, r, device=w.device, dtype=torch.float32))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))

    def forward(self, x: Tensor) -> Tensor:
        delta = (self.dropout(x).float() @ self.lora_a.t()) @ self.lora_b.t()
        return self.base(x) + (self.scale * delta).to(x.dtype)


def add_lora(
    model: nn.Module, r: int, alpha: float, dropout: float, targets: tuple[str, ...] = LLAMA_TARGETS
) -> list[nn.Parameter]:
    """Freeze ``model`` and wrap every linear layer named in ``targets``; return the trainable parameters."""
    for p in model.parameters():
        p.requires_grad_(False)
    wrapped = []
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, nn.Linear) and name in targets:
                lora = LoRALinear(child, r, alpha, dropout)
                setattr(module, name, lora)
                wrapped += [lora.lora_a, lora.lora_b]
    if not wrapped:
        raise ValueError(f"no linear layer named one of {targets} in the model")
    return wrapped
