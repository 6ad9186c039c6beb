"""Interpolated word n-gram language models: the miniature's text generators, rewriter LM and scoring LM.

p(w | u, v) = λ₃ c(u,v,w)/c(u,v) + λ₂ c(v,w)/c(v) + λ₁ (c(w)+δ)/(N+δ|V|), with the weights of unseen
contexts moved to the lower orders, so every word of the vocabulary has non-zero probability.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np


class NGramLM:
    """A word n-gram model (order 1-3) over a closed vocabulary, with temperature sampling."""

    def __init__(
        self, streams: Sequence[Sequence[str]], order: int = 3, lambdas: Sequence[float] = (0.1, 0.3, 0.6)
    ) -> None:
        if order not in (1, 2, 3):
            raise ValueError(f"order must be 1, 2 or 3, got {order}")
        self.order = order
        self.lambdas = tuple(lambdas[:order])
        counts = Counter(t for s in streams for t in s)
        self.vocab = sorted(counts)
        self.index = {w: i for i, w in enumerate(self.vocab)}
        uni = np.array([counts[w] for w in self.vocab], dtype=np.float64) + 0.1
        self.unigram = uni / uni.sum()
        rows: list[defaultdict[tuple[int, ...], Counter[int]]] = [defaultdict(Counter) for _ in range(order)]
        for s in streams:
            ids = [self.index[t] for t in s]
            for n in range(1, order):
                for i in range(n, len(ids)):
                    rows[n][tuple(ids[i - n : i])][ids[i]] += 1
        self.tables: list[dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]]] = [{}]
        for n in range(1, order):
            table = {}
            for ctx, c in rows[n].items():
                ids = np.fromiter(c.keys(), dtype=np.int64)
                cnt = np.fromiter(c.values(), dtype=np.float64)
                table[ctx] = (ids, cnt / cnt.sum())
            self.tables.append(table)

    def distribution(self, context: Sequence[str]) -> np.ndarray:
        """p(· | context) over the vocabulary (only the last order-1 known words of context are used)."""
        ids = [self.index.get(t, -1) for t in context[-(self.order - 1) :]] if self.order > 1 else []
        p = self.lambdas[0] * self.unigram
        missing = 0.0
        for n in range(1, self.order):
            ctx = tuple(ids[-n:]) if len(ids) >= n else None
            hit = self.tables[n].get(ctx) if ctx is not None and -1 not in ctx else None
            if hit is None:
                missing += self.lambdas[n]
                continue
            p = p.copy() if p is self.unigram else p
            np.add.at(p, hit[0], self.lambdas[n] * hit[1])
        if missing:
            p = p + missing * self.unigram
        return p / p.sum()

    def logprob(self, tokens: Sequence[str], start: int = 1) -> np.ndarray:
        """log p(x_t | x_<t) for t ≥ start; out-of-vocabulary tokens get the smallest unigram probability."""
        floor = float(self.unigram.min())
        out = []
        for t in range(start, len(tokens)):
            p = self.distribution(tokens[:t])
            i = self.index.get(tokens[t], -1)
            out.append(np.log(p[i] if i >= 0 else floor))
        return np.array(out)

    def sample(
        self,
        prefix: Sequence[str],
        length: int,
        temperature: float,
        rng: np.random.Generator,
        markers: Sequence[str] = (),
        marker_rate: float = 0.0,
    ) -> list[str]:
        """Continue ``prefix`` to ``length`` tokens; with prob ``marker_rate`` a step emits a marker word.

        Markers are the generator's planted stylistic tics; the context skips them, so the text around
        them stays as fluent as the model is.
        """
        out = list(prefix)
        ctx = [t for t in prefix if t not in markers]
        while len(out) < length:
            if markers and rng.random() < marker_rate:
                out.append(str(markers[rng.integers(len(markers))]))
                continue
            p = self.distribution(ctx)
            if temperature != 1.0:
                logits = np.log(p) / temperature
                p = np.exp(logits - logits.max())
                p /= p.sum()
            w = self.vocab[int(rng.choice(len(p), p=p))]
            out.append(w)
            ctx.append(w)
        return out[:length]
