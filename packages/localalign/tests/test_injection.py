"""Where an injected instruction goes inside the data region, and the real-delimiter filter."""

import random

import pytest

from advfrontier.localalign.injection import TEST_KINDS, TRAIN_KINDS, inject, training_kind
from advfrontier.localalign.task import FAKE_INST, FAKE_RESP, IGNORE, SPECIALS, op, prompt

DATA = ("1", "2", "3", "4")
A, B = op("REVERSE"), op("FIRST")


def test_head_tail_middle_placement() -> None:
    rng = random.Random(0)
    assert inject(DATA, A, B, "head", rng) == [*B.tokens, *DATA]
    assert inject(DATA, A, B, "tail", rng) == [*DATA, *B.tokens]
    assert inject(DATA, A, B, "ignore", rng) == [*DATA, IGNORE, *B.tokens]
    for _ in range(20):
        region = inject(DATA, A, B, "middle", rng)
        i = region.index(B.tokens[0])
        assert 0 < i < len(DATA)  # strictly inside the digits
        assert [t for t in region if t not in B.tokens] == list(DATA)


def test_completion_structure() -> None:
    rng = random.Random(1)
    for _ in range(20):
        region = inject(DATA, A, B, "completion", rng)
        k = next(j for j, r in enumerate(FAKE_RESP) if r in region)
        assert k in (0, 1)  # training uses only the first two fake delimiter sets
        r, s = region.index(FAKE_RESP[k]), region.index(FAKE_INST[k])
        assert tuple(region[r + 1 : s]) == A.answer(DATA)  # a fake answer to the trusted task
        assert region[:r] == list(DATA) and region[-len(DATA) :] == list(DATA)
    unseen = inject(DATA, A, B, "combined_unseen", rng)
    assert FAKE_RESP[2] in unseen and FAKE_INST[2] in unseen and IGNORE in unseen


def test_injected_regions_never_hold_real_delimiters() -> None:
    rng = random.Random(2)
    for kind in set(TRAIN_KINDS) | set(TEST_KINDS):
        region = inject(DATA, A, B, kind, rng)
        assert not set(region) & set(SPECIALS)
        assert prompt(A, region)[-1] == "[AST]"
    with pytest.raises(ValueError):
        prompt(A, [*DATA, "[AST]"])


def test_training_kind_shares() -> None:
    rng = random.Random(3)
    kinds = [training_kind(rng, 0.1) for _ in range(20000)]
    share = {k: kinds.count(k) / len(kinds) for k in TRAIN_KINDS}
    assert abs(share["completion"] - 0.1) < 0.01
    assert abs(share["head"] - 0.45) < 0.015 and abs(share["tail"] - 0.45) < 0.015
