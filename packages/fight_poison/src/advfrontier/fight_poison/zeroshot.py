"""Fast-DetectGPT (Bao et al., 2024), analytic form, with an n-gram LM as both sampling and scoring model.

d(x) = (Σ_t log p(x_t|x_<t) − Σ_t μ_t) / sqrt(Σ_t σ_t²), μ_t = E_{w~p_t}[log p_t(w)],
σ_t² = Var_{w~p_t}[log p_t(w)]: machine text sits higher in its model's conditional distributions.
The threshold (zero-shot methods have none of their own) is the validation split's most accurate one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from advfrontier.fight_poison.ngram import NGramLM
from advfrontier.fight_poison.text import tokenize


def fast_detectgpt_score(lm: NGramLM, tokens: Sequence[str]) -> float:
    """Sampling discrepancy d(x) of one token list (the first token is the unscored context)."""
    floor = float(lm.unigram.min())
    ll, mu, var = 0.0, 0.0, 0.0
    for t in range(1, len(tokens)):
        p = lm.distribution(tokens[:t])
        logp = np.log(p)
        i = lm.index.get(tokens[t], -1)
        ll += float(logp[i]) if i >= 0 else float(np.log(floor))
        m = float(p @ logp)
        mu += m
        var += float(p @ logp**2) - m * m
    return (ll - mu) / np.sqrt(max(var, 1e-12))


def scores(lm: NGramLM, texts: Sequence[str]) -> np.ndarray:
    """d(x) of each text."""
    return np.array([fast_detectgpt_score(lm, tokenize(t)) for t in texts])


def best_threshold(s: np.ndarray, labels: np.ndarray) -> float:
    """The midpoint threshold with the highest accuracy of ``s > thr`` (ties: the lowest)."""
    u = np.unique(s)
    cands = np.concatenate([[u[0] - 1.0], (u[1:] + u[:-1]) / 2, [u[-1] + 1.0]])
    acc = [np.mean((s > c) == labels) for c in cands]
    return float(cands[int(np.argmax(acc))])
