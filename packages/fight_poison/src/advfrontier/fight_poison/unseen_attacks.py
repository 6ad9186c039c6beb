"""Test-time attacks of a family the training rewriter G never produces (no shared code or parameters).

G (``rewriter.py``) works on whole words with an n-gram LM and retrieved examples. ``typo`` works on
characters, with no LM, no corpus statistics and no examples: the misspelling attack of RAID
(Dugan et al., 2024) — in a share of the words of four or more letters one edit among: swap two inner
letters, drop an inner letter, double a letter, or replace a letter by a QWERTY neighbour.
"""

from __future__ import annotations

import re

import numpy as np

UNSEEN_ATTACKS: tuple[str, ...] = ("typo",)
LLM_ATTACKS: tuple[str, ...] = ("llm_paraphrase",)
"""Real scale only: SmolLM2 paraphrases (``real_data.llm_paraphrases``)."""
QWERTY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    c: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
    for row in QWERTY_ROWS
    for i, c in enumerate(row)
}
_WORD = re.compile(r"[A-Za-z]{4,}")


def _edit(word: str, rng: np.random.Generator) -> str:
    i = int(rng.integers(1, len(word) - 1))  # an inner letter: first and last stay
    kind = int(rng.integers(4))
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if i + 2 <= len(word) - 1 else word
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    near = _NEIGHBOURS.get(word[i].lower(), "")
    return word[:i] + near[int(rng.integers(len(near)))] + word[i + 1 :] if near else word


def typo(text: str, rng: np.random.Generator, rate: float = 0.25) -> str:
    """Misspell about ``rate`` of the words with ≥ 4 letters (one character edit each)."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}")
    return _WORD.sub(lambda m: _edit(m.group(0), rng) if rng.random() < rate else m.group(0), text)


def apply_unseen(name: str, text: str, rng: np.random.Generator) -> str:
    """Run the named unseen attack on one text string."""
    if name not in UNSEEN_ATTACKS:
        raise ValueError(f"unknown unseen attack {name!r}; expected one of {UNSEEN_ATTACKS}")
    return typo(text, rng)
