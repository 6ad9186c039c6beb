"""Test-time attacks on machine-generated text, analogues of the paper's four (all black box, no queries).

- modify (paper: T5-large mask-filling): mask a fraction of words and fill each with the word that a
  bigram LM finds most likely between its neighbours, argmax_w p(w | left) p(right | w).
- paraphrase (paper: DIPPER): shuffle the sentence order and replace words by distributional synonyms.
- backtranslate (paper: OPUS-MT en→de→en): a lossy round trip: synonyms, dropped function words and
  swapped neighbours, as a translation pair loses and reorders.
- humanize (paper: an LLM with 3 (MGT, HWT) in-context pairs): the rewriter G guided by 3 random human and
  3 random machine texts from a pool the detectors never see.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advfrontier.fight_poison.ngram import NGramLM
from advfrontier.fight_poison.rewriter import PUNCT, RewriteConfig, rewrite

ATTACKS: tuple[str, ...] = ("modify", "paraphrase", "backtranslate", "humanize")
FUNCTION_WORDS = {"the", "a", "an", "of", "to", "that", "is", "are", "be", "it", "this", "which"}


def distributional_synonyms(streams: Sequence[Sequence[str]], top: int = 1200, min_sim: float = 0.3) -> dict:
    """Each frequent word's nearest neighbour by cosine of its left/right-neighbour count vectors."""
    counts = Counter(t for s in streams for t in s if t not in PUNCT)
    words = [w for w, _ in counts.most_common(top)]
    idx = {w: i for i, w in enumerate(words)}
    ctx = np.zeros((len(words), 2 * len(words)))
    for s in streams:
        for i in range(1, len(s) - 1):
            j = idx.get(s[i])
            if j is None:
                continue
            if s[i - 1] in idx:
                ctx[j, idx[s[i - 1]]] += 1
            if s[i + 1] in idx:
                ctx[j, len(words) + idx[s[i + 1]]] += 1
    ctx = np.log1p(ctx)
    ctx /= np.linalg.norm(ctx, axis=1, keepdims=True) + 1e-12
    sim = ctx @ ctx.T
    np.fill_diagonal(sim, -1.0)
    best = sim.argmax(1)
    return {
        w: words[best[i]]
        for i, w in enumerate(words)
        if sim[i, best[i]] >= min_sim and w not in FUNCTION_WORDS
    }


@dataclass
class AttackKit:
    """What the test attacks use: an attack LM, a synonym table and pools of texts no detector saw."""

    lm: NGramLM
    synonyms: dict
    human_pool: list[list[str]]
    machine_pool: list[list[str]]
    mask_rate: float = 0.15
    synonym_rate: float = 0.3
    _bigram: object = None

    def modify(self, x: Sequence[str], rng: np.random.Generator) -> list[str]:
        out = list(x)
        bigram = self._bigram_matrix()
        for i in range(1, len(out) - 1):
            if out[i] in PUNCT or rng.random() >= self.mask_rate:
                continue
            left = self.lm.distribution(out[:i])
            j = self.lm.index.get(out[i + 1])
            right = bigram[:, j].toarray().ravel() + 1e-4 * self.lm.unigram[j] if j is not None else 1.0
            out[i] = self.lm.vocab[int(np.argmax(left * right))]
        return out

    def _bigram_matrix(self):
        """p(next | w) as a sparse |V|×|V| matrix (rows: w), built once."""
        if getattr(self, "_bigram", None) is None:
            from scipy.sparse import csc_matrix

            rows, cols, vals = [], [], []
            for (w,), (ids, probs) in self.lm.tables[1].items():
                rows += [w] * len(ids)
                cols += ids.tolist()
                vals += probs.tolist()
            n = len(self.lm.vocab)
            self._bigram = csc_matrix((vals, (rows, cols)), shape=(n, n))
        return self._bigram

    def _synonymise(self, x: Sequence[str], rng: np.random.Generator) -> list[str]:
        return [self.synonyms[w] if w in self.synonyms and rng.random() < self.synonym_rate else w for w in x]

    def paraphrase(self, x: Sequence[str], rng: np.random.Generator) -> list[str]:
        sents, cur = [], []
        for w in x:
            cur.append(w)
            if w in {".", ";", ":"}:
                sents.append(cur)
                cur = []
        if cur:
            sents.append(cur)
        order = rng.permutation(len(sents))
        return self._synonymise([w for i in order for w in sents[i]], rng)

    def backtranslate(self, x: Sequence[str], rng: np.random.Generator) -> list[str]:
        out = [w for w in self._synonymise(x, rng) if not (w in FUNCTION_WORDS and rng.random() < 0.3)]
        for i in range(len(out) - 1):
            if rng.random() < 0.1:
                out[i], out[i + 1] = out[i + 1], out[i]
        return out

    def humanize(self, x: Sequence[str], rng: np.random.Generator) -> list[str]:
        hs = rng.choice(len(self.human_pool), 3, replace=False)
        ms = rng.choice(len(self.machine_pool), 3, replace=False)
        x_h = [w for i in hs for w in self.human_pool[i]]
        x_m = [w for i in ms for w in self.machine_pool[i]]
        return rewrite(x, x_h, x_m, self.lm, rng, RewriteConfig(resample_prob=0.1, spans=3))

    def apply(self, name: str, x: Sequence[str], rng: np.random.Generator) -> list[str]:
        """Run the named attack on one token list."""
        if name not in ATTACKS:
            raise ValueError(f"unknown attack {name!r}; expected one of {ATTACKS}")
        return getattr(self, name)(x, rng)
