"""The package's peft LoRA: starts equal to the base, merges to the same function, trains only A and B,
and switches off to the reference."""

import pytest
import torch
from peft.tuners.tuners_utils import BaseTunerLayer

from advfrontier.localalign.lora import apply_lora, lora_off, merge_lora
from advfrontier.localalign.model import TinyLM
from advfrontier.localalign.task import VOCAB


def _model_and_ids() -> tuple[TinyLM, torch.Tensor]:
    torch.manual_seed(0)
    model = TinyLM(len(VOCAB), d=16, layers=2, heads=2, ff=32).eval()
    ids = torch.randint(1, len(VOCAB), (3, 10))
    return model, ids


def _perturb(model: torch.nn.Module) -> None:
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.normal_()


def test_lora_starts_equal_to_base_and_trains_only_its_factors() -> None:
    model, ids = _model_and_ids()
    before = model(ids)
    apply_lora(model, ("q_proj", "v_proj"), r=4, alpha=8.0, dropout=0.1)
    model.eval()
    assert torch.allclose(model(ids), before, atol=1e-6)
    assert sum(isinstance(m, BaseTunerLayer) for m in model.modules()) == 4  # 2 layers x q, v
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in n for n in trainable)


def test_lora_merge_keeps_outputs_and_off_gives_the_base() -> None:
    model, ids = _model_and_ids()
    before = model(ids)
    handle = apply_lora(model, ("q_proj", "v_proj"), r=4, alpha=8.0, dropout=0.0)
    _perturb(model)
    adapted = model(ids)
    assert not torch.allclose(adapted, before, atol=1e-3)
    with lora_off(model):
        assert torch.allclose(model(ids), before, atol=1e-6)
    merged = merge_lora(handle)
    assert merged is model
    assert not any(isinstance(m, BaseTunerLayer) for m in model.modules())
    assert torch.allclose(model(ids), adapted, atol=1e-5)
    assert all(p.requires_grad for p in model.parameters())


def test_lora_rejects_missing_targets() -> None:
    model, _ = _model_and_ids()
    with pytest.raises(ValueError, match="no linear layer"):
        apply_lora(model, ("nope",), r=4, alpha=8.0, dropout=0.0)
