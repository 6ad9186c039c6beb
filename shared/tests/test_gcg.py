"""GCG on a tiny random Llama: with one suffix position and enough candidates it finds the brute-force
best token; the best loss never rises and is the suffix's real loss; the vocabulary and early stop are
honoured and the model is left as it was."""

from __future__ import annotations

import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from advfrontier.shared.attacks import SUFFIX_MARK, gcg, gcg_text

VOCAB = 16


def _model() -> LlamaForCausalLM:
    torch.manual_seed(0)
    cfg = LlamaConfig(
        vocab_size=VOCAB,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=64,
    )
    return LlamaForCausalLM(cfg).eval()


BEFORE, AFTER, TARGET = torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6, 7, 8])


@torch.no_grad()
def _loss(model: LlamaForCausalLM, suffix: list[int]) -> float:
    ids = torch.cat([BEFORE, torch.tensor(suffix), AFTER, TARGET])[None]
    logits = model(input_ids=ids).logits[0, -TARGET.numel() - 1 : -1]
    return float(torch.nn.functional.cross_entropy(logits, TARGET))


def test_one_position_matches_brute_force() -> None:
    model = _model()
    g = torch.Generator().manual_seed(0)
    res = gcg(
        model,
        BEFORE,
        AFTER,
        TARGET,
        suffix_len=1,
        steps=1,
        topk=VOCAB,
        candidates=256,
        init_token=0,
        generator=g,
    )
    best = min(range(VOCAB), key=lambda t: _loss(model, [t]))
    assert res.suffix.tolist() == [best]
    assert res.loss == pytest.approx(_loss(model, [best]), abs=1e-5)


def test_best_loss_never_rises_and_is_the_suffix_loss() -> None:
    model = _model()
    g = torch.Generator().manual_seed(1)
    start = _loss(model, [0, 0, 0])
    res = gcg(
        model, BEFORE, AFTER, TARGET, suffix_len=3, steps=6, topk=4, candidates=8, init_token=0, generator=g
    )
    assert all(b <= a for a, b in zip([start, *res.losses], res.losses, strict=False))
    assert res.loss < start  # a random model always has a better token somewhere
    assert res.loss == pytest.approx(_loss(model, res.suffix.tolist()), abs=1e-5)


def test_vocabulary_early_stop_and_model_state() -> None:
    model = _model()
    model.lm_head.weight.requires_grad_(False)
    allowed = torch.tensor([9, 10, 11])
    calls: list[list[int]] = []

    def success(suffix: torch.Tensor) -> bool:
        calls.append(suffix.tolist())
        return True

    res = gcg(
        model, BEFORE, AFTER, TARGET, suffix_len=2, steps=20, topk=2, candidates=4, init_token=9,
        allowed=allowed, success=success, check_every=3, generator=torch.Generator().manual_seed(0),
    )  # fmt: skip
    assert res.success and len(res.losses) == 3 and len(calls) == 1  # stopped at the first check
    assert set(res.suffix.tolist()) <= {9, 10, 11}
    assert not model.training and not model.lm_head.weight.requires_grad
    assert model.model.embed_tokens.weight.requires_grad
    with pytest.raises(ValueError, match="n_replace"):
        gcg(model, BEFORE, AFTER, TARGET, suffix_len=2, n_replace=3, init_token=0)


def test_gcg_text_needs_one_suffix_mark() -> None:
    with pytest.raises(ValueError, match="SUFFIX_MARK"):
        gcg_text(_model(), None, "no mark here", "x", lambda t: True)
    with pytest.raises(ValueError, match="SUFFIX_MARK"):
        gcg_text(_model(), None, SUFFIX_MARK * 2, "x", lambda t: True)
