"""The real scale on SmolLM2-135M-Instruct: the rendered task and a few steps on the model."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
import torch

from advfrontier.warden.config import REAL
from advfrontier.warden.real import HARMFUL_PREFIX, WORD_TEXT, behaviours, chats, run_real
from advfrontier.warden.task import KIND_NEAR, TRIGGERS


def test_rendered_behaviours_hold_their_triggers_and_near_misses_do_not() -> None:
    g = torch.Generator().manual_seed(0)
    for i, grp in enumerate(TRIGGERS):
        for b in behaviours(5, g, i):
            assert b.category == grp and b.targets[0].startswith(HARMFUL_PREFIX)
            assert all(WORD_TEXT[t] in b.prompt.split() for t in TRIGGERS[grp])
    for prompt, answer in chats(20, g, KIND_NEAR):
        words = prompt.split(": ", 1)[1].split()
        assert answer.split() == words[::-1]
        assert not all(WORD_TEXT[t] in words for t in TRIGGERS["B"])
        assert not all(WORD_TEXT[t] in words for t in TRIGGERS["C"])


def _tiny_cfg():
    llm = replace(
        REAL.llm,
        max_steps=2,
        batch_size=4,
        adv_fraction=0.5,
        max_length=32,
        eval_attack_steps=2,
        gen_tokens=2,
    )
    return replace(
        REAL,
        llm=llm,
        align_steps=2,
        cat_grid=(1.0, 2.0),
        kl_grid=(0.5,),
        eval_per_group=1,
        eval_benign=2,
        val_per_group=1,
        val_benign=2,
        eval_eps_mults=(1.0,),
    )


def _smollm2_ready() -> bool:
    from advfrontier.shared.lm import cache_dir

    return bool(os.environ.get("RUN_SLOW")) or (cache_dir() / "smollm2-135m-instruct").exists()


@pytest.mark.slow
@pytest.mark.skipif(not _smollm2_ready(), reason="SmolLM2 not converted yet (RUN_SLOW=1 converts it, ~1 min)")
def test_real_scale_runs_two_steps_on_smollm2() -> None:
    from advfrontier.shared.lm import load_smollm2

    cfg = _tiny_cfg()
    m = run_real(cfg, 0, loader=load_smollm2)
    assert m["cat/knob"] in (1.0, 2.0) and "cat/val1_over_refusal" in m
    assert m["warden_kl/weight_max"] > 1.0  # the DRO layer moved weight off uniform
    assert all(0.0 <= m[f"{k}/worst_group_asr_emb"] <= 100.0 for k in cfg.methods)
    assert m["aligned/utility_ppl"] > 1.0


def _tiny_loader():
    import transformers
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = sorted(
        {
            *WORD_TEXT.values(),
            *"Reverse the order of these words: Sure, here it is Sorry, I can't do that.".split(),  # noqa: SIM905
        }
    )
    vocab = {w: i for i, w in enumerate(["<unk>", "<pad>", "</s>", *words])}
    core = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok = transformers.PreTrainedTokenizerFast(
        tokenizer_object=core, unk_token="<unk>", pad_token="<pad>", eos_token="</s>"
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


def test_real_pipeline_runs_on_a_tiny_llama(capsys: pytest.CaptureFixture) -> None:
    cfg = _tiny_cfg()
    m = run_real(cfg, 0, loader=_tiny_loader)
    phases = [
        ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("[warden real seed 0] phase")
    ]
    # safety tuning, the aligned test, every swept point, and one test per trained method
    n = 1 + 1 + len(cfg.cat_grid) + 1 + len(cfg.kl_grid) + 1
    assert len(phases) == n and phases[-1].startswith(f"[warden real seed 0] phase {n}/{n}")
    assert m["cat/knob"] in (1.0, 2.0) and "cat/val1_over_refusal" in m
    assert m["warden_kl/weight_max"] > 1.0  # the DRO layer moved weight off uniform
    # per-subgroup n·q: uniform (1) for CAT; for WARDEN some subgroup gains and another loses weight
    cat_w = [v for k, v in m.items() if k.startswith("cat/weight_") and k != "cat/weight_max"]
    kl_w = [v for k, v in m.items() if k.startswith("warden_kl/weight_") and k != "warden_kl/weight_max"]
    assert cat_w and all(v == pytest.approx(1.0) for v in cat_w)
    assert min(kl_w) < 1.0 < max(kl_w) <= m["warden_kl/weight_max"] + 1e-6
    assert all(0.0 <= m[f"{k}/worst_group_asr_emb"] <= 100.0 for k in ("aligned", "cat", "warden_kl"))
    assert m["aligned/utility_ppl"] > 1.0
