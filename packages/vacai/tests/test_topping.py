"""TOPPing: similarity, softmax and the nucleus (top-p) set."""

from __future__ import annotations

import random

import pytest

from advfrontier.vacai.synth import SOURCES, generate
from advfrontier.vacai.topping import cosine, random_sources, softmax, top_p, topping


def test_top_p_is_the_smallest_prefix_reaching_p() -> None:
    rng = random.Random(0)
    for _ in range(200):
        raw = [rng.random() for _ in range(6)]
        probs = {f"s{i}": x / sum(raw) for i, x in enumerate(raw)}
        p = rng.uniform(0.05, 1.0)
        chosen = top_p(probs, p)
        ranked = sorted(probs, key=lambda k: -probs[k])
        assert chosen == ranked[: len(chosen)]
        assert sum(probs[c] for c in chosen) >= p - 1e-9
        assert sum(probs[c] for c in chosen[:-1]) < p
    with pytest.raises(ValueError, match="p must be"):
        top_p({"a": 1.0}, 0.0)


def test_softmax_and_cosine() -> None:
    probs = softmax([0.1, 0.5, 0.3], temperature=0.2)
    assert sum(probs) == pytest.approx(1.0)
    assert probs[1] / probs[0] == pytest.approx(pytest.approx(2.718281828**2))
    assert cosine({"a": 1.0, "b": 2.0}, {"a": 2.0, "b": 4.0}) == pytest.approx(1.0)
    assert cosine({"a": 1.0}, {"b": 1.0}) == 0.0


def test_topping_picks_the_variety_the_target_text_comes_from() -> None:
    sources = {v.name: [s.forms for s in generate(v, 120, 0)] for v in SOURCES}
    for v in SOURCES:
        target_text = [s.forms for s in generate(v, 60, 7)]  # new sentences of a known variety
        chosen = topping(target_text, sources, p=0.5, temperature=0.05)
        assert chosen[0] == v.name


def test_random_sources_has_the_requested_size() -> None:
    names = [v.name for v in SOURCES]
    got = random_sources(names, 2, random.Random(3))
    assert len(set(got)) == 2 and set(got) <= set(names)
