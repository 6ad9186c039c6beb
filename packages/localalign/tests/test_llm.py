"""The paper-scale pipeline: two preference steps on a tiny random Llama and tiny files in the real format."""

import dataclasses
import json
import random
import shutil
from pathlib import Path

import pytest
import torch

from advfrontier.localalign import llm
from advfrontier.localalign.config import PAPER_SCALE
from advfrontier.localalign.llm import (
    answer_letter,
    answers_with_number,
    inject_text,
    response_logp,
    run_llm,
    train_defence,
    valid_negative,
)
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
        gcg_size=1,
        gcg_steps=2,
        gcg_suffix=2,
        gcg_topk=4,
        gcg_candidates=4,
    )
    metrics = run_llm(cfg, seed=0)
    assert set(metrics) == {f"{m}/{k}" for m in cfg.methods for k in ("far_asr", "gcg_far_asr")}
    assert all(0.0 <= v <= 100.0 for v in metrics.values())
    (tmp_path / "mmlu" / "test").mkdir(parents=True)
    (tmp_path / "mmlu" / "test" / "x_test.csv").write_text("the text,a,long,short,hello,C\n" * 3)
    metrics = run_llm(dataclasses.replace(cfg, methods=("none",), gcg_size=0), seed=0)
    assert set(metrics) == {"none/far_asr", "none/mmlu_utility", "none/mmlu_near_asr"}
    shutil.copytree(tmp_path / PAPER_SCALE.model_path, tmp_path / "models" / "judge")  # a local judge
    sep = {
        "system_prompt_clean": "summarise the text",
        "prompt_instructed": "a long text",
        "witness": "short",
    }
    (tmp_path / "SEP_dataset.json").write_text(json.dumps([sep, sep]))
    metrics = run_llm(dataclasses.replace(cfg, methods=("none",), gcg_size=0), seed=0)
    assert 0.0 <= metrics["none/alpaca_winrate"] <= 100.0
    assert metrics["none/sep_asr"] in (0.0, 100.0)  # the same item twice, greedy


def test_localalign_warms_up_on_far_pairs_then_trains_on_its_own_near_pairs(monkeypatch) -> None:
    calls: list[tuple[str, str, int]] = []
    monkeypatch.setattr(llm, "make_pairs", lambda method, *a: [(method, "c", "r")])
    monkeypatch.setattr(
        llm,
        "pair_train",
        lambda m, t, pairs, cfg, loss, steps, rng: calls.append((pairs[0][0], loss, steps)) or steps,
    )
    cfg = dataclasses.replace(PAPER_SCALE, pref_steps=8, warmup_frac=0.25)
    assert train_defence("localalign", None, None, [], cfg, 0) == 8
    assert calls == [("secalign", "dpo", 2), ("localalign", "margin", 6)]
    calls.clear()
    assert train_defence("secalign", None, None, [], cfg, 0) == 8
    assert calls == [("secalign", "dpo", 8)]


def test_mmlu_rules_read_letters_and_numbers() -> None:
    assert [answer_letter(t) for t in ("(B) Paris", "C. Rome", "The answer is D", "Paris")] == [
        "B",
        "C",
        "D",
        "",
    ]
    assert [answer_letter(t) for t in ("A cat sat on it", "A", "B\nParis", "A) Paris", "A: Paris")] == [
        "", "A", "B", "A", "A",
    ]  # fmt: skip
    assert answers_with_number("(2) Paris") and answers_with_number("3")
    assert not answers_with_number("(B) (2)") and not answers_with_number("I ate 12 apples")


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


def test_preference_loop_runs_on_fabric_precision(tmp_path: Path) -> None:
    """The LoRA loop's forwards run under the process Fabric's precision (here bf16-mixed on CPU): a loop
    that bypassed Fabric would compute fp32 logits and call a plain backward."""
    from lightning.fabric import Fabric

    from advfrontier.shared import engine

    path = _tiny_model(tmp_path)
    tok = transformers.AutoTokenizer.from_pretrained(path)
    model = transformers.AutoModelForCausalLM.from_pretrained(path)
    seen: list[torch.dtype] = []
    model.lm_head.register_forward_hook(
        lambda m, i, out: seen.append(out.dtype) if torch.is_grad_enabled() else None
    )
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    cfg = dataclasses.replace(PAPER_SCALE, pref_batch=2, max_new_tokens=3, retain=1.0)
    pairs = [
        ("summarise the text a long text", "short", "hello"),
        ("translate to french hello", "bonjour", "a"),
    ]
    engine.use(Fabric(accelerator="cpu", devices=1, precision="bf16-mixed"))
    try:
        done = llm.pair_train(model, tok, pairs, cfg, "dpo", 2, random.Random(0))
    finally:
        engine.use(None)
    assert done == 2 and seen == [torch.bfloat16, torch.bfloat16]
    moved = [n for n, p in model.named_parameters() if not torch.equal(p.detach(), before[n])]
    assert moved and all("q_proj" in n or "v_proj" in n for n in moved)  # LoRA merged into q/v only


def test_sep_counts_the_witness_and_names_a_bad_file(tmp_path: Path, monkeypatch) -> None:
    from advfrontier.localalign import sep

    items = [
        {"system_prompt_clean": "t", "prompt_instructed": "d", "witness": "Tuesday"},
        {"system_prompt_clean": "t", "prompt_instructed": "d", "witness": "Paris"},
    ]
    monkeypatch.setattr(llm, "sample", lambda m, t, prompts, temp, n: ["it is tuesday."] * len(prompts))
    cfg = dataclasses.replace(PAPER_SCALE, pref_batch=4)
    assert sep.sep_asr(None, None, items, cfg) == 50.0  # case-insensitive witness, one of two
    assert sep.load_sep(tmp_path / "absent.json") == []
    (tmp_path / "bad.json").write_text(json.dumps([{"prompt_clean": "x"}]))
    with pytest.raises(sep.DataNotFoundError, match="witness"):
        sep.load_sep(tmp_path / "bad.json")
