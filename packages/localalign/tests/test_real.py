"""The real scale on SmolLM2-135M-Instruct: the text task's scoring and a few LoRA steps on the model."""

from __future__ import annotations

import dataclasses
import os
import random

import pytest
import torch

from advfrontier.localalign.config import REAL
from advfrontier.localalign.real import OP_TEXT, answer_text, far_pairs_text, followed, run_real
from advfrontier.localalign.task import op


def test_followed_reads_the_digits_of_the_answer() -> None:
    data = ("3", "9", "1", "4")
    assert answer_text(op("REVERSE"), data) == "4 1 9 3"
    assert followed("Sure: 4, 1, 9, 3.", "4 1 9 3")
    assert followed("4 1 9 3\n\nThese are 4 numbers.", "4 1 9 3")  # later lines are chatter
    assert not followed("4 1 9 3 8", "4 1 9 3")  # exactly the answer, not a prefix of it
    assert not followed("3 9 1 4", "4 1 9 3")
    assert not followed("no digits", "")


class _Tok:
    chat_template = None


def test_far_pairs_reject_the_injected_word_and_choose_the_answer() -> None:
    pairs = far_pairs_text(_Tok(), [("3", "9", "1", "4")], 20, random.Random(0), 0.1)
    for prompt, chosen, rejected in pairs:
        assert "Print exactly" in prompt and rejected.rstrip("!") in prompt
        assert chosen.replace(" ", "").isdigit()


_KEYS = {
    *(
        f"{m}/{k}"
        for m in REAL.methods
        for k in ("utility", "far_asr", "near_asr", "near_iid_asr", "utility_ppl")
    ),
    "secalign/pref_steps",
    "localalign/pref_steps",
}


def _smollm2_ready() -> bool:
    from advfrontier.shared.lm import cache_dir

    return bool(os.environ.get("RUN_SLOW")) or (cache_dir() / "smollm2-135m-instruct").exists()


@pytest.mark.slow
@pytest.mark.skipif(not _smollm2_ready(), reason="SmolLM2 not converted yet (RUN_SLOW=1 converts it, ~1 min)")
def test_real_scale_runs_two_steps_on_smollm2() -> None:
    from advfrontier.shared.lm import load_smollm2

    torch.manual_seed(0)
    cfg = dataclasses.replace(
        REAL, pref_steps=2, pref_batch=2, pref_pairs=4, eval_size=2, max_new_tokens=3, eval_new_tokens=3
    )
    metrics = run_real(cfg, 0, loader=load_smollm2)
    assert set(metrics) == _KEYS
    assert all(0.0 <= metrics[k] <= 100.0 for k in _KEYS if "asr" in k or k.endswith("/utility"))


def _tiny_loader():
    import transformers
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = sorted({w for t in OP_TEXT.values() for w in t.split()} | set("0123456789"))
    vocab = {w: i for i, w in enumerate(["[UNK]", "[PAD]", "[EOS]", *words])}
    core = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = transformers.PreTrainedTokenizerFast(
        tokenizer_object=core, unk_token="[UNK]", pad_token="[PAD]", eos_token="[EOS]"
    )
    cfg = transformers.LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        pad_token_id=1,
        eos_token_id=2,
        bos_token_id=2,
    )
    torch.manual_seed(0)
    return transformers.LlamaForCausalLM(cfg).eval(), tok


def test_real_pipeline_runs_on_a_tiny_llama() -> None:
    cfg = dataclasses.replace(
        REAL, pref_steps=2, pref_batch=2, pref_pairs=4, eval_size=3, max_new_tokens=3, eval_new_tokens=3
    )
    metrics = run_real(cfg, 0, loader=_tiny_loader)
    assert set(metrics) == _KEYS
    assert all(0.0 <= metrics[k] <= 100.0 for k in _KEYS if "asr" in k or k.endswith("/utility"))


def test_pair_training_stops_at_the_first_check_that_says_so() -> None:
    from advfrontier.localalign.llm import pair_train

    model, tok = _tiny_loader()
    cfg = dataclasses.replace(REAL, pref_batch=2)
    pairs = far_pairs_text(tok, [("3", "9", "1", "4")], 8, random.Random(0), 0.1)
    seen: list[tuple[int, bool]] = []

    def stop(step: int) -> bool:
        seen.append((step, model.training))
        return step >= 4

    assert pair_train(model, tok, pairs, cfg, "dpo", 10, random.Random(0), stop, 2) == 4
    assert seen == [(2, False), (4, False)]  # checked every 2 steps, in eval mode
    assert pair_train(model, tok, pairs, cfg, "dpo", 3, random.Random(0), lambda _: False, 2) == 3
