"""TOPPing source selection [reconstruction, inferred from the abstract and the name: "top-p"-ing].

Each candidate source gets a similarity to the target computed from unlabelled target text only:
the cosine between character n-gram frequency profiles (a proxy for linguistic distance that needs
no typological database). Similarities become a distribution p_i = softmax(sim_i / τ); TOPPing keeps
the smallest set of most-similar sources whose cumulative probability reaches p (nucleus / top-p).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence


def ngram_profile(sentences: Iterable[Sequence[str]], n_min: int = 2, n_max: int = 4) -> Counter[str]:
    """Counts of character n_min..n_max-grams of the words, with word boundaries marked."""
    prof: Counter[str] = Counter()
    for forms in sentences:
        for f in forms:
            w = f"<{f.lower()}>"
            for n in range(n_min, n_max + 1):
                prof.update(w[i : i + n] for i in range(len(w) - n + 1))
    return prof


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two sparse vectors (0 when either is empty)."""
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na > 0 and nb > 0 else 0.0


def softmax(scores: Sequence[float], temperature: float) -> list[float]:
    """softmax(scores / temperature)."""
    m = max(scores)
    e = [math.exp((s - m) / temperature) for s in scores]
    z = sum(e)
    return [x / z for x in e]


def top_p(probs: Mapping[str, float], p: float) -> list[str]:
    """Eq. (T) [inferred]: the smallest prefix of sources sorted by probability whose mass reaches p."""
    if not 0 < p <= 1:
        raise ValueError(f"p must be in (0, 1], got {p}")
    chosen, mass = [], 0.0
    for name in sorted(probs, key=lambda k: (-probs[k], k)):
        chosen.append(name)
        mass += probs[name]
        if mass >= p - 1e-12:
            break
    return chosen


def similarities(
    target_text: Sequence[Sequence[str]], sources: Mapping[str, Sequence[Sequence[str]]]
) -> dict[str, float]:
    """Cosine similarity of each source's n-gram profile to the target's."""
    t = ngram_profile(target_text)
    return {name: cosine(t, ngram_profile(text)) for name, text in sources.items()}


def topping(
    target_text: Sequence[Sequence[str]],
    sources: Mapping[str, Sequence[Sequence[str]]],
    p: float,
    temperature: float,
) -> list[str]:
    """TOPPing: the nucleus of the most similar sources for one target."""
    sims = similarities(target_text, sources)
    names = list(sims)
    probs = dict(zip(names, softmax([sims[n] for n in names], temperature), strict=True))
    return top_p(probs, p)


def random_sources(names: Sequence[str], k: int, rng: random.Random) -> list[str]:
    """The random-selection control: k sources drawn uniformly without replacement."""
    return sorted(rng.sample(list(names), k))
