"""Eisner decoding returns the best single-rooted projective tree (checked by brute force)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from advfrontier.vacai.eisner import eisner, tree_score


def _is_projective_tree(heads: list[int]) -> bool:
    n = len(heads)
    if heads.count(0) != 1 or any(h == m + 1 for m, h in enumerate(heads)):
        return False
    for m in range(1, n + 1):  # acyclic
        seen, x = set(), m
        while x != 0:
            if x in seen:
                return False
            seen.add(x)
            x = heads[x - 1]
    for m in range(1, n + 1):  # every word between a head and its dependent descends from the head
        h = heads[m - 1]
        for k in range(min(m, h) + 1, max(m, h)):
            x = k
            while x not in (0, h):
                x = heads[x - 1]
            if x != h:
                return False
    return True


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_eisner_matches_brute_force(n: int) -> None:
    rng = np.random.default_rng(n)
    trees = [list(h) for h in itertools.product(range(n + 1), repeat=n) if _is_projective_tree(list(h))]
    for _ in range(15):
        scores = rng.normal(size=(n + 1, n + 1))
        heads = eisner(scores)
        assert _is_projective_tree(heads)
        best = max(tree_score(scores, t) for t in trees)
        assert tree_score(scores, heads) == pytest.approx(best)


def test_eisner_recovers_a_dominant_tree_and_keeps_one_root() -> None:
    gold = [2, 0, 2, 5, 3]
    scores = np.zeros((6, 6))
    for m, h in enumerate(gold):
        scores[h, m + 1] = 10.0
    scores[0, 1:] = 9.0  # every word is tempted to attach to the root
    assert eisner(scores) == gold
