"""Preference pairs: SecAlign's far-target pairs and LocalAlign's self-generated near-target pairs.

* SecAlign (far): the data carries another task's instruction B from the far pool (PRINT/REPEAT a training
  word); chosen = the reference answer to A, rejected = the reference answer to B (off the data).
* LocalAlign (near, ``generate_preference_dataset_directional``): B is a "hard negative" of the same family
  as A, executable on the same data, with a different answer (the validity filter: B ≠ A and
  B(C) ≠ A(C)); chosen = the model's own answer to A on the clean data, rejected = its own answer to B on
  the same data, both sampled at T = 0.8. A share ``1 − chosen_ratio`` of "easy" negatives takes B from
  the far pool instead.
In both, 90% of samples put B at the head or tail of the data and 10% use a completion-style injection.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from advfrontier.localalign.data import Data, with_fillers
from advfrontier.localalign.injection import inject, training_kind
from advfrontier.localalign.model import TinyLM
from advfrontier.localalign.seqs import generate
from advfrontier.localalign.task import (
    ALL_INSTRUCTIONS,
    EOS,
    NEAR_OPS,
    TRAIN_FAR,
    TRAIN_NEAR,
    Instruction,
    encode,
    op,
    prompt,
)


@dataclass(frozen=True)
class Pair:
    """Token ids of an injected prompt and its chosen and rejected responses (ending in [EOS])."""

    prompt: list[int]
    chosen: list[int]
    rejected: list[int]


def far_pairs(pool: Sequence[Data], n: int, rng: random.Random, completion_share: float) -> list[Pair]:
    """SecAlign: reference answers; rejected = the injected far task's answer."""
    out = []
    for _ in range(n):
        data = rng.choice(pool)
        a = rng.choice(ALL_INSTRUCTIONS)
        b = rng.choice([x for x in TRAIN_FAR if x != a])
        region = inject(with_fillers(data, rng), a, b, training_kind(rng, completion_share), rng)
        out.append(
            Pair(encode(prompt(a, region)), [*encode(a.answer(data)), EOS], [*encode(b.answer(data)), EOS])
        )
    return out


def hard_negative(a: Instruction, data: Data, rng: random.Random) -> Instruction | None:
    """A same-family instruction executable on ``data`` whose answer differs from A's (None if none)."""
    valid = [b for b in TRAIN_NEAR if b != a and b.answer(data) != a.answer(data)]
    return rng.choice(valid) if valid else None


def near_pairs(
    model: TinyLM,
    pool: Sequence[Data],
    n: int,
    rng: random.Random,
    completion_share: float,
    chosen_ratio: float = 1.0,
    temperature: float = 0.8,
    generator: torch.Generator | None = None,
) -> list[Pair]:
    """LocalAlign: the model's own sampled answers to A (chosen) and to the negative B (rejected)."""
    cases: list[tuple[Instruction, Instruction, Data, list[str]]] = []
    while len(cases) < n:
        data = rng.choice(pool)
        a = op(rng.choice(NEAR_OPS))
        b = hard_negative(a, data, rng) if rng.random() < chosen_ratio else rng.choice(TRAIN_FAR)
        if b is None:
            continue
        region = inject(with_fillers(data, rng), a, b, training_kind(rng, completion_share), rng)
        cases.append((a, b, data, region))
    chosen = generate(
        model, [encode(prompt(a, d)) for a, _, d, _ in cases], temperature=temperature, generator=generator
    )
    rejected = generate(
        model, [encode(prompt(b, d)) for _, b, d, _ in cases], temperature=temperature, generator=generator
    )
    return [
        Pair(encode(prompt(a, region)), c, r)
        for (a, _, _, region), c, r in zip(cases, chosen, rejected, strict=True)
    ]


def clean_sft(pool: Sequence[Data], n: int, rng: random.Random) -> list[Pair]:
    """The retain set: any trusted task on clean (uninjected) data with its reference answer (no rejected)."""
    out = []
    for _ in range(n):
        data, a = rng.choice(pool), rng.choice(ALL_INSTRUCTIONS)
        out.append(Pair(encode(prompt(a, with_fillers(data, rng))), [*encode(a.answer(data)), EOS], []))
    return out
