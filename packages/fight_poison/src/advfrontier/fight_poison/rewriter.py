"""The attacker's rewriter G of REACT, miniature stand-in for the prompted LLM.

Paper: X̃ = G(Z(X; X_H, X_M)), an LLM prompted to rewrite X so that it reads like the most human-like
retrieved example X_H and unlike the most machine-like one X_M. Stand-in: G is an n-gram LM that
(1) drops words that X_M uses and X_H does not (the machine tics the prompt tells it to avoid),
(2) re-generates a fraction of the positions itself (so a rewrite of human text is machine text),
(3) splices short spans of X_H into X (imitating the human example's phrasing).
Without retrieval ("w/o RAG"), step (1) has nothing to compare and step (3) splices fixed generic phrases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advfrontier.fight_poison.ngram import NGramLM

GENERIC_PHRASES: tuple[tuple[str, ...], ...] = (
    ("in", "short", ","),
    ("for", "example", ","),
    ("that", "is", ","),
    ("as", "noted", "above", ","),
    ("in", "practice", ","),
)
"""What the w/o-RAG rewriter splices in instead of retrieved human spans."""

PUNCT = set(".,;:()[]\"'-_*=<>/+%!?")


@dataclass(frozen=True)
class RewriteConfig:
    """How strongly G rewrites."""

    drop_prob: float = 0.8
    """Probability of dropping each word that X_M uses and X_H does not."""
    resample_prob: float = 0.7
    """Fraction of positions G re-generates with its own LM."""
    spans: int = 2
    """Spans of X_H spliced into X."""
    span_len: int = 5
    """Length of each spliced span."""
    temperature: float = 0.7
    """G's sampling temperature (paper: 0.7)."""


def machine_words(x_h: Sequence[str], x_m: Sequence[str]) -> set[str]:
    """Words of the most machine-like example that the most human-like one never uses (punctuation kept)."""
    return {w for w in set(x_m) - set(x_h) if w not in PUNCT}


def rewrite(
    x: Sequence[str],
    x_h: Sequence[str] | None,
    x_m: Sequence[str] | None,
    lm: NGramLM,
    rng: np.random.Generator,
    cfg: RewriteConfig = RewriteConfig(),
) -> list[str]:
    """X̃ = G(Z(X; X_H, X_M)); ``x_h is None`` gives the w/o-RAG rewrite. Output has len(x) tokens."""
    avoid = machine_words(x_h, x_m) if x_h is not None and x_m is not None else set()
    kept = [w for w in x if not (w in avoid and rng.random() < cfg.drop_prob)]
    out: list[str] = []
    for w in kept:
        if len(out) >= 2 and rng.random() < cfg.resample_prob:
            p = lm.distribution(out)
            logits = np.log(p) / cfg.temperature
            p = np.exp(logits - logits.max())
            w = lm.vocab[int(rng.choice(len(p), p=p / p.sum()))]
        out.append(w)
    for _ in range(cfg.spans):
        if x_h is not None and len(x_h) > cfg.span_len:
            s = int(rng.integers(len(x_h) - cfg.span_len))
            span = list(x_h[s : s + cfg.span_len])
        else:
            span = list(GENERIC_PHRASES[int(rng.integers(len(GENERIC_PHRASES)))])
        at = int(rng.integers(len(out) + 1))
        out[at:at] = span
    return out[: len(x)]
