"""Synthetic data for the miniature: digit splits, the vulnerable base's tuning data, attack sets.

The 10⁴ four-digit data strings are split once (split seed 0) into train 80% / val 10% / test 10%;
defences train on train strings, development checks use val, the table uses test.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from advfrontier.localalign.injection import BASE_KINDS, inject
from advfrontier.localalign.task import (
    ALL_INSTRUCTIONS,
    FILLERS,
    HACKED,
    N_DIGITS,
    NEAR_OPS,
    TEST_NEAR,
    Instruction,
    op,
    prompt,
)

Data = tuple[str, ...]


def digit_splits(split_seed: int = 0) -> dict[str, list[Data]]:
    """All four-digit strings split 80/10/10 into train, val and test."""
    all_data = [tuple(f"{n:04d}") for n in range(10**N_DIGITS)]
    random.Random(split_seed).shuffle(all_data)
    a, b = int(0.8 * len(all_data)), int(0.9 * len(all_data))
    return {"train": all_data[:a], "val": all_data[a:b], "test": all_data[b:]}


def with_fillers(data: Data, rng: random.Random, p: float = 0.3) -> list[str]:
    """The digits with, with probability p, one or two filler words at random places."""
    region = list(data)
    if rng.random() < p:
        for _ in range(rng.randint(1, 2)):
            region.insert(rng.randint(0, len(region)), rng.choice(FILLERS))
    return region


@dataclass(frozen=True)
class SFTExample:
    prompt_tokens: tuple[str, ...]
    answer: tuple[str, ...]


def base_example(data: Data, rng: random.Random, inject_share: float) -> SFTExample:
    """The vulnerable base's tuning data: follow the last instruction, wherever it appears."""
    a = rng.choice(ALL_INSTRUCTIONS)
    region = with_fillers(data, rng)
    target = a
    if rng.random() < inject_share:
        b = rng.choice([x for x in ALL_INSTRUCTIONS if x != a])
        region = inject(region, a, b, rng.choice(BASE_KINDS), rng)
        target = b
    return SFTExample(tuple(prompt(a, region)), target.answer(data))


@dataclass(frozen=True)
class AttackCase:
    """One test case: trusted A, injected B, the data."""

    a: Instruction
    b: Instruction
    data: Data


def near_cases(
    pool: list[Data], n: int, rng: random.Random, ops: Sequence[Instruction] = TEST_NEAR
) -> list[AttackCase]:
    """A from the data-task family, B an op of ``ops`` (default: the held-out ones, the OOD suite; the
    training ops give the IID suite) of the same family with a different answer."""
    out = []
    while len(out) < n:
        data = rng.choice(pool)
        a = op(rng.choice(NEAR_OPS))
        bs = [b for b in ops if b != a and b.answer(data) != a.answer(data)]
        if bs:
            out.append(AttackCase(a, rng.choice(bs), data))
    return out


def far_cases(pool: list[Data], n: int, rng: random.Random) -> list[AttackCase]:
    """A from the data-task family, B the held-out far target "PRINT HACKED"."""
    return [AttackCase(op(rng.choice(NEAR_OPS)), HACKED, rng.choice(pool)) for _ in range(n)]


def clean_cases(pool: list[Data], n: int, rng: random.Random) -> list[tuple[Instruction, Data]]:
    """Utility cases: any trusted task on clean data."""
    return [(rng.choice(ALL_INSTRUCTIONS), rng.choice(pool)) for _ in range(n)]
