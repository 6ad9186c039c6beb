"""The miniature: human passages of CPython's pydoc prose, MGT from n-gram generators with planted tics.

Each pydoc topic's prose is cut in two halves: the first trains the generators' LMs, the second is cut
into human passages, so no generator has seen the human passages it is compared with. Every
``ood_topic_every``-th topic is a held-out domain whose MGT comes from held-out generators.
The corpus is fixed (seed 0); a run's seed only draws the few-shot sample and initialises models.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from advfrontier.fight_poison.config import FightPoisonConfig, GeneratorSpec
from advfrontier.fight_poison.ngram import NGramLM
from advfrontier.fight_poison.text import detokenize, pydoc_topics, topic_streams


@dataclass
class Labelled:
    """Texts and labels (1 = machine-generated)."""

    texts: list[str]
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.texts)


@dataclass
class MiniCorpus:
    """Fixed splits of the miniature and the LMs that made them."""

    train_pool: Labelled
    val: Labelled
    test: Labelled
    ood: Labelled
    human_pool: list[list[str]]
    machine_pool: list[list[str]]
    lm_streams: list[list[str]]
    lm: NGramLM
    """Trigram LM of the generator half: the rewriter G's LM, the attacks' LM, the zero-shot scorer."""


def _passages(stream: list[str], n: int) -> list[list[str]]:
    return [stream[i : i + n] for i in range(0, len(stream) - n + 1, n)]


def _machine(
    prompts: list[list[str]], gens: tuple[GeneratorSpec, ...], lms: dict, cfg: FightPoisonConfig, rng
) -> list[str]:
    out = []
    for i, p in enumerate(prompts):
        g = gens[i % len(gens)]
        toks = lms[g.order].sample(
            p[: cfg.prompt_len], cfg.passage_len, g.temperature, rng, g.markers, g.marker_rate
        )
        out.append(detokenize(toks))
    return out


def _labelled(human: list[list[str]], machine: list[str]) -> Labelled:
    texts = [detokenize(h) for h in human] + machine
    return Labelled(texts, np.array([0] * len(human) + [1] * len(machine)))


def build_corpus(cfg: FightPoisonConfig) -> MiniCorpus:
    """Build the miniature's splits (deterministic, independent of the run seed)."""
    return _build_corpus_cached(
        cfg.passage_len, cfg.prompt_len, cfg.train_generators, cfg.ood_generators, cfg.ood_topic_every,
        cfg.n_val, cfg.n_test, cfg.n_ood, cfg.n_pool, cfg.shots,
    )  # fmt: skip


@lru_cache(maxsize=2)
def _build_corpus_cached(
    passage_len, prompt_len, train_gens, ood_gens, ood_every, n_val, n_test, n_ood, n_pool, shots
) -> MiniCorpus:
    cfg = FightPoisonConfig(
        passage_len=passage_len, prompt_len=prompt_len, train_generators=train_gens, ood_generators=ood_gens
    )
    rng = np.random.default_rng(0)
    streams = topic_streams(pydoc_topics())
    lm_streams, human_in, human_out = [], [], []
    for k, (_, toks) in enumerate(streams.items()):
        half = len(toks) // 2
        lm_streams.append(toks[:half])
        (human_out if k % ood_every == ood_every - 1 else human_in).extend(
            _passages(toks[half:], passage_len)
        )
    human_in = [list(t) for t in dict.fromkeys(map(tuple, human_in))]  # pydoc repeats some paragraphs
    seen_in = set(map(tuple, human_in))
    human_out = [list(t) for t in dict.fromkeys(map(tuple, human_out)) if t not in seen_in]
    lms = {o: NGramLM(lm_streams, o) for o in {g.order for g in train_gens + ood_gens} | {3}}
    human_in = [human_in[i] for i in rng.permutation(len(human_in))]
    human_out = [human_out[i] for i in rng.permutation(len(human_out))]
    need = n_test + n_val + n_pool + shots
    if len(human_in) < need or len(human_out) < n_ood:
        raise ValueError(
            f"corpus too small: {len(human_in)} in-domain passages for {need}, {len(human_out)} OOD"
        )
    test_h, val_h = human_in[:n_test], human_in[n_test : n_test + n_val]
    pool_h, train_h = human_in[n_test + n_val : n_test + n_val + n_pool], human_in[n_test + n_val + n_pool :]

    def prompts(hs: list[list[str]]) -> list[list[str]]:  # prompts from other passages of the same split
        return [hs[(i + 1) % len(hs)] for i in range(len(hs))]

    test = _labelled(test_h, _machine(prompts(test_h), train_gens, lms, cfg, rng))
    val = _labelled(val_h, _machine(prompts(val_h), train_gens, lms, cfg, rng))
    train = _labelled(train_h, _machine(prompts(train_h), train_gens, lms, cfg, rng))
    pool_m = _machine(prompts(pool_h), train_gens, lms, cfg, rng)
    ood_h = human_out[:n_ood]
    ood = _labelled(ood_h, _machine(prompts(ood_h), ood_gens, lms, cfg, rng))
    from advfrontier.fight_poison.text import tokenize

    return MiniCorpus(train, val, test, ood, pool_h, [tokenize(t) for t in pool_m], lm_streams, lms[3])


def few_shot(pool: Labelled, shots: int, seed: int) -> Labelled:
    """``shots`` texts per class drawn from ``pool`` by the run seed."""
    rng = np.random.default_rng(seed)
    idx = np.concatenate([rng.choice(np.flatnonzero(pool.labels == c), shots, replace=False) for c in (0, 1)])
    idx = idx[rng.permutation(len(idx))]
    return Labelled([pool.texts[i] for i in idx], pool.labels[idx])
