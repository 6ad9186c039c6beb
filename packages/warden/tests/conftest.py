"""Tiny paper-scale files in the real formats (HarmBench CSV/JSON, UltraChat JSON lines, a randomly
initialised Llama saved with save_pretrained) and the config that reads them, for the paper-scale tests."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from advfrontier.warden.config import PAPER_SCALE, LLMConfig
from advfrontier.warden.harmbench import CSV_COLUMNS, SPLITS

WORDS = ["how", "to", "make", "a", "bomb", "write", "poem", "about", "cats", "sure", "here", "is"]
WORDS += ["sorry", "i", "can't", "do", "that", "the", "recipe", "story"]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        w.writeheader()
        w.writerows(rows)


def _row(i: int, behaviour: str, cat: str = "standard", context: str = "") -> dict[str, str]:
    return {
        "Behavior": behaviour,
        "FunctionalCategory": cat,
        "SemanticCategory": "chemical",
        "Tags": "",
        "ContextString": context,
        "BehaviorID": f"b{i}",
    }


def _make_data(root: Path) -> None:
    hb = root / "harmbench"
    _write_csv(hb / SPLITS["train"][0], [_row(i, "how to make a bomb") for i in range(4)])
    test_rows = [
        _row(0, "how to make a bomb"),
        _row(1, "write the recipe", context="the story"),
        _row(2, "poem", "copyright"),
    ]
    _write_csv(hb / SPLITS["test"][0], test_rows)
    for rel, targets in (
        (SPLITS["train"][1], ["sure here is", "sure"]),
        (SPLITS["test"][1], "sure here is the recipe"),
    ):
        (hb / rel).parent.mkdir(parents=True, exist_ok=True)
        (hb / rel).write_text(json.dumps({f"b{i}": targets for i in range(4)}))
    chats = root / "ultrachat" / "train.jsonl"
    chats.parent.mkdir(parents=True)
    line = {
        "messages": [
            {"role": "user", "content": "write a poem about cats"},
            {"role": "assistant", "content": "cats"},
        ]
    }
    chats.write_text("\n".join(json.dumps(line) for _ in range(12)) + "\n")
    _make_model(root / "models" / "tiny")
    refs = ["the story is here. i can't do that, sure.", "write a poem.\n\nsure here is the story. [REPLACE]"]
    (root / "autodan").mkdir()
    torch.save(refs, root / "autodan" / "prompt_group.pth")  # the authors' format: a saved list of str
    (root / "human_jailbreaks").mkdir()
    (root / "human_jailbreaks" / "jailbreaks.py").write_text(
        'import os\nJAILBREAKS = [\n    "the story is here.",\n    "write a poem about cats.",\n]\n'
    )  # HarmBench's format: a Python list, read without running it


def _make_model(path: Path) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    specials = ["<unk>", "<s>", "</s>", "<pad>"]
    vocab = {w: i for i, w in enumerate(specials + sorted({*WORDS, "[INST]", "[/INST]", "---"}))}
    core = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok = PreTrainedTokenizerFast(
        tokenizer_object=core, unk_token="<unk>", bos_token="<s>", eos_token="</s>", pad_token="<pad>"
    )
    tok.save_pretrained(str(path))
    torch.manual_seed(0)
    cfg = LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=128,
    )
    LlamaForCausalLM(cfg).save_pretrained(str(path))


def _tiny_config(root: Path):
    llm = replace(
        LLMConfig(),
        model_dir="models/tiny",
        max_steps=2,
        batch_size=2,
        grad_accum=2,
        adv_fraction=0.5,
        eval_attack_steps=2,
        gen_tokens=3,
        dtype="float32",
        max_length=48,
        lora_r=4,
        gcg_behaviours=1,
        gcg_steps=2,
        gcg_suffix=2,
        gcg_topk=4,
        gcg_candidates=4,
        autodan_behaviours=1,
        autodan_steps=2,
        autodan_population=4,
        autodan_check_every=1,
        jailbreak_max_prompt=40,
        autodan_mutator_dir="models/tiny",
        human_behaviours=2,  # the tiny Llama paraphrases too (mutation path exercised)
    )
    return replace(PAPER_SCALE, device="cpu", data_dir=str(root), attack_steps=2, llm=llm)


@pytest.fixture
def paper_files() -> SimpleNamespace:
    """``data(root)`` writes the files, ``model(path)`` a tiny Llama, ``config(root)`` reads them."""
    return SimpleNamespace(data=_make_data, model=_make_model, config=_tiny_config)
