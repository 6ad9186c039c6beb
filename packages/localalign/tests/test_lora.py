"""The package's LoRA: starts equal to the base, merges to the same function, trains only A and B."""

import torch

from advfrontier.localalign.lora import LoRALinear, apply_lora, merge_lora
from advfrontier.localalign.model import TinyLM
from advfrontier.localalign.task import VOCAB


def _model_and_ids() -> tuple[TinyLM, torch.Tensor]:
    torch.manual_seed(0)
    model = TinyLM(len(VOCAB), d=16, layers=2, heads=2, ff=32).eval()
    ids = torch.randint(1, len(VOCAB), (3, 10))
    return model, ids


def test_lora_starts_equal_to_base() -> None:
    model, ids = _model_and_ids()
    before = model(ids)
    n = apply_lora(model, ("q_proj", "v_proj"), r=4, alpha=8.0, dropout=0.1)
    assert n == 4
    model.eval()
    assert torch.equal(model(ids), before)
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    assert trainable and all("lora_" in name for name in trainable)


def test_lora_merge_keeps_outputs() -> None:
    model, ids = _model_and_ids()
    base_out = model(ids)
    apply_lora(model, ("q_proj", "v_proj"), r=4, alpha=8.0, dropout=0.0)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, LoRALinear):
                m.lora_b.normal_()
    model.eval()
    adapted = model(ids)
    assert not torch.allclose(adapted, base_out, atol=1e-3)
    merge_lora(model)
    assert not any(isinstance(m, LoRALinear) for m in model.modules())
    assert torch.allclose(model(ids), adapted, atol=1e-4)
    assert all(p.requires_grad for p in model.parameters())


def test_lora_update_has_rank_at_most_r() -> None:
    lin = torch.nn.Linear(12, 10)
    lora = LoRALinear(lin, r=2, alpha=4.0, dropout=0.0)
    with torch.no_grad():
        lora.lora_b.normal_()
    w0 = lin.weight.detach().clone()
    merged = lora.merged()
    assert int(torch.linalg.matrix_rank(merged.weight.detach() - w0)) <= 2
