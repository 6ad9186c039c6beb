"""LoRA (Hu et al. 2022) through ``peft``, as CAT's released code trains: all linear layers of the
attention and MLP blocks, adapters kept in fp32 over a bf16 (or fp32) base, B = 0 at the start."""

from __future__ import annotations

from peft import LoraConfig, get_peft_model
from torch import nn

LLAMA_TARGETS: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def add_lora(
    model: nn.Module, r: int, alpha: float, dropout: float, targets: tuple[str, ...] = LLAMA_TARGETS
) -> list[nn.Parameter]:
    """Freeze ``model`` and inject peft LoRA (in place) into every linear layer named in ``targets``;
    returns the trainable parameters (the LoRA factors)."""
    names = {n.rsplit(".", 1)[-1] for n, m in model.named_modules() if isinstance(m, nn.Linear)}
    if not set(targets) & names:
        raise ValueError(f"no linear layer named one of {targets} in the model")
    cfg = LoraConfig(r=r, lora_alpha=alpha, lora_dropout=dropout, target_modules=list(targets), bias="none")
    get_peft_model(model, cfg, autocast_adapter_dtype=True)  # injects into ``model`` itself
    return [p for p in model.parameters() if p.requires_grad]
