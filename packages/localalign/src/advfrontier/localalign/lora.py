"""LoRA (Hu et al., 2022) through ``peft``, as the paper trains (r 64, α 8, dropout 0.1, q_proj/v_proj).

``apply_lora`` injects peft's LoRA layers into the model in place (every other weight frozen, B = 0 so
the adapted model starts equal to the base) and returns the ``LoraModel`` handle; ``merge_lora`` folds
the update back into plain linear layers; ``lora_off`` switches the adapters off (the DPO reference).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from peft import LoraConfig
from peft.tuners.lora import LoraModel
from peft.tuners.tuners_utils import BaseTunerLayer
from torch import nn


def apply_lora(model: nn.Module, targets: Sequence[str], r: int, alpha: float, dropout: float) -> LoraModel:
    """Freeze ``model`` and put peft LoRA on every linear layer named in ``targets`` (in place)."""
    if r < 1:
        raise ValueError(f"LoRA rank must be >= 1, got {r}")
    names = {n.rsplit(".", 1)[-1] for n, m in model.named_modules() if isinstance(m, nn.Linear)}
    if not set(targets) & names:
        raise ValueError(f"no linear layer named any of {list(targets)} in {type(model).__name__}")
    cfg = LoraConfig(r=r, lora_alpha=alpha, lora_dropout=dropout, target_modules=list(targets), bias="none")
    return LoraModel(model, cfg, "default")


def merge_lora(handle: LoraModel) -> nn.Module:
    """Fold every LoRA update into its linear layer (in place) and unfreeze the model; returns it."""
    model = handle.merge_and_unload()
    for p in model.parameters():
        p.requires_grad_(True)
    return model


@contextlib.contextmanager
def lora_off(model: nn.Module) -> Iterator[None]:
    """The reference policy: the same weights with every LoRA adapter switched off."""
    layers = [m for m in model.modules() if isinstance(m, BaseTunerLayer)]
    for m in layers:
        m.enable_adapters(False)
    try:
        yield
    finally:
        for m in layers:
            m.enable_adapters(True)
