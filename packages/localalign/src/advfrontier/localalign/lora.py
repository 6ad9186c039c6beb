"""LoRA (Hu et al., 2022) on named linear layers, as the paper trains (r 64, α 8, dropout 0.1, q_proj/v_proj).

``peft`` is not in this workspace's environment, so this is a minimal stand-in: W x + (α/r)·B A drop(x),
A ~ Kaiming-uniform, B = 0 (the adapted model starts equal to the base), every other weight frozen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import Tensor, nn


class LoRALinear(nn.Module):
    """A frozen ``nn.Linear`` plus a trainable low-rank update of scale α/r."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float) -> None:
        super().__init__()
        if r < 1:
            raise ValueError(f"LoRA rank must be >= 1, got {r}")
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)
        w = base.weight
        self.lora_a = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, r, dtype=w.dtype, device=w.device))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.scale = alpha / r
        self.drop = nn.Dropout(dropout)

    def forward(self, x: Tensor) -> Tensor:
        return self.base(x) + (self.drop(x) @ self.lora_a.T @ self.lora_b.T) * self.scale

    def merged(self) -> nn.Linear:
        """The plain linear layer W + (α/r)·B A (for a new stage or for saving)."""
        lin = self.base
        with torch.no_grad():
            lin.weight += (self.lora_b @ self.lora_a) * self.scale
        for p in lin.parameters():
            p.requires_grad_(True)
        return lin


def _replace(model: nn.Module, targets: Sequence[str], fn) -> int:
    count = 0
    for name, module in list(model.named_modules()):
        for child_name, child in list(module.named_children()):
            new = fn(child_name, child)
            if new is not None:
                setattr(module, child_name, new)
                count += 1
        del name
    return count


def apply_lora(model: nn.Module, targets: Sequence[str], r: int, alpha: float, dropout: float) -> int:
    """Freeze ``model`` and put LoRA on every linear layer whose name is in ``targets``; returns how many."""
    for p in model.parameters():
        p.requires_grad_(False)

    def fn(name: str, child: nn.Module) -> nn.Module | None:
        if name in targets and isinstance(child, nn.Linear):
            return LoRALinear(child, r, alpha, dropout)
        return None

    n = _replace(model, targets, fn)
    if n == 0:
        raise ValueError(f"no linear layer named any of {list(targets)} in {type(model).__name__}")
    return n


def merge_lora(model: nn.Module) -> None:
    """Fold every LoRA update into its linear layer and unfreeze the model."""
    _replace(model, (), lambda _n, c: c.merged() if isinstance(c, LoRALinear) else None)
    for p in model.parameters():
        p.requires_grad_(True)
