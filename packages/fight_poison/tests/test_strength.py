"""The attacker keeps the strength whose validation rewrites evade the surrogate most; ties → larger."""

import numpy as np
import pytest
import torch
from torch import nn

from advfrontier.fight_poison.strength import evasion_rate, select_strength


class TicSurrogate(nn.Module):
    """Calls a text MGT iff it contains the tic word "moreover"."""

    def forward(self, texts):
        mgt = torch.tensor([float("moreover" in t.split()) for t in texts])
        return torch.stack([1.0 - mgt, mgt], -1)


def tic_remover(keep_tic_below: float):
    """Rewriter family: at strength s, drops "moreover" with probability s (s < keep_tic_below: never)."""

    def at(s: float):
        def g(text, x_h, x_m, rng: np.random.Generator):
            drop = s >= keep_tic_below and rng.random() < s
            return " ".join(w for w in text.split() if not (drop and w == "moreover"))

        return g

    return at


MGT = [f"moreover the list {i} is a sequence" for i in range(40)]
POOL = ["a tuple is immutable", "moreover the list is mutable"]


def test_evasion_rate_counts_texts_called_human():
    assert evasion_rate(TicSurrogate(), ["moreover x", "x", "y", "moreover y"]) == 50.0


def test_picks_the_more_evasive_strength_whichever_it_is():
    # every strength removes the tic at its own rate: 0.7 evades more than 0.4
    best, rates = select_strength(TicSurrogate(), tic_remover(0.0), MGT, POOL, (0.4, 0.7), [0, 2])
    assert rates[0.7] > rates[0.4] > 0
    assert best == 0.7
    # a family where the weak strength works and the strong one never drops the tic: 0.4 wins
    inverse = lambda s: tic_remover(0.0)(1.1 - s)  # noqa: E731
    best, rates = select_strength(TicSurrogate(), inverse, MGT, POOL, (0.4, 0.7), [0, 2])
    assert rates[0.4] > rates[0.7]
    assert best == 0.4


def test_ties_go_to_the_larger_strength_and_empty_is_refused():
    never = tic_remover(2.0)  # no strength removes the tic: 0 % evasion for both
    best, rates = select_strength(TicSurrogate(), never, MGT, POOL, (0.7, 0.4), [0, 2])
    assert rates == {0.7: 0.0, 0.4: 0.0} and best == 0.7
    with pytest.raises(ValueError):
        select_strength(TicSurrogate(), never, MGT, POOL, (), [0, 2])
