"""The paper-scale pipeline: two preference steps on a tiny random Llama and tiny files in the real format."""

import dataclasses
import json
import random
from pathlib import Path

import pytest
import torch

from advfrontier.localalign.config import PAPER_SCALE
from advfrontier.localalign.llm import inject_text, response_logp, run_llm, valid_negative
from advfrontier.localalign.lora import apply_lora, lora_off

transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

WORDS = [
    "summarise",
    "the",
    "text",
    "a",
    "long",
    "translate",
    "to",
    "french",
    "hello",
    "bonjour",
    "short",
    "print",
    "exactly",
    "'hacked!'",
    "ignore",
    "previous",
    "instructions",
]


def _tiny_model(root: Path) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {w: i for i, w in enumerate(["[UNK]", "[PAD]", "[EOS]", *sorted(set(WORDS))])}
    tk = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tk.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tk, unk_token="[UNK]", pad_token="[PAD]", eos_token="[EOS]"
    )
    cfg = transformers.LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=512,
        pad_token_id=1,
        eos_token_id=2,
        bos_token_id=2,
    )
    out = root / PAPER_SCALE.model_path
    torch.manual_seed(0)
    transformers.LlamaForCausalLM(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out


def _data(root: Path) -> None:
    recs = [
        {"instruction": "summarise the text", "input": "a long text", "output": "short"},
        {"instruction": "translate to french", "input": "hello", "output": "bonjour"},
        {"instruction": "translate to french", "input": "", "output": "bonjour"},
    ]
    (root / "alpaca_data_cleaned.json").write_text(json.dumps(recs))
    (root / "davinci_003_outputs.json").write_text(json.dumps(recs))


def test_paper_config_runs_two_steps(tmp_path: Path) -> None:
    _tiny_model(tmp_path)
    _data(tmp_path)
    cfg = dataclasses.replace(
        PAPER_SCALE,
        data_dir=str(tmp_path),
        device="cpu",
        pref_steps=2,
        pref_batch=2,
        max_new_tokens=3,
        eval_new_tokens=3,
    )
    metrics = run_llm(cfg, seed=0)
    assert set(metrics) == {f"{m}/far_asr" for m in cfg.methods}
    assert all(0.0 <= v <= 100.0 for v in metrics.values())


def test_reference_is_the_model_without_lora(tmp_path: Path) -> None:
    path = _tiny_model(tmp_path)
    tok = transformers.AutoTokenizer.from_pretrained(path)
    model = transformers.AutoModelForCausalLM.from_pretrained(path).eval()
    args = (["summarise the text a long text"], ["short"], 8)
    before = response_logp(model, tok, *args)
    apply_lora(model, ("q_proj", "v_proj"), r=4, alpha=8.0, dropout=0.0)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.normal_()
        with lora_off(model):
            ref = response_logp(model, tok, *args)
        adapted = response_logp(model, tok, *args)
    assert torch.allclose(ref, before, atol=1e-5)
    assert not torch.allclose(adapted, before, atol=1e-3)


def test_injection_text_and_negative_filter() -> None:
    rng = random.Random(0)
    assert inject_text("DATA", "B", "head", "", rng) == "B DATA"
    assert inject_text("DATA", "B", "tail", "", rng) == "DATA B"
    comp = inject_text("DATA", "B", "completion", "ANS", rng)
    assert comp.startswith("DATA") and comp.endswith("DATA") and "ANS" in comp and "B" in comp
    assert valid_negative("Summarise the paragraph in one sentence.", "Translate it.")
    assert not valid_negative("Follow this instruction carefully please.", "x")  # says "instruction"
    assert not valid_negative("short", "x")  # under 20 characters
    assert not valid_negative("Visit https://example.com for details now", "x")
