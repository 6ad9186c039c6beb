"""The stand-in rewriter G, the retrieval pool and the test attacks keep their definitions."""

import numpy as np
import torch
from torch import nn

from advfrontier.fight_poison.attacks import ATTACKS, AttackKit
from advfrontier.fight_poison.ngram import NGramLM
from advfrontier.fight_poison.react import RetrievalPool
from advfrontier.fight_poison.rewriter import GENERIC_PHRASES, RewriteConfig, machine_words, rewrite

WORDS = [
    "the",
    "list",
    "object",
    "is",
    "a",
    "mutable",
    "sequence",
    "of",
    "items",
    "and",
    "the",
    "tuple",
    "is",
    "immutable",
    ".",
]
LM = NGramLM([WORDS * 3], order=3)


def test_rewriter_drops_machine_words_and_splices_human_spans():
    x = ["moreover", "the", "list", "is", "notably", "a", "sequence", "."]
    x_h = ["a", "tuple", "is", "an", "immutable", "sequence", "of", "items", "."]
    x_m = ["moreover", "notably", "the", "list"]
    assert machine_words(x_h, x_m) == {"moreover", "notably", "the", "list"}
    cfg = RewriteConfig(drop_prob=1.0, resample_prob=0.0, spans=1, span_len=4)
    out = rewrite(x, x_h, x_m, LM, np.random.default_rng(0), cfg)
    assert len(out) <= len(x)
    kept = [w for w in out if w not in x_h]
    assert not set(kept) & {"moreover", "notably"}
    joined = " ".join(out)
    assert any(" ".join(x_h[i : i + 4]) in joined for i in range(len(x_h) - 3))


def test_rewriter_without_retrieval_uses_generic_phrases_and_keeps_length():
    x = WORDS[:12]
    cfg = RewriteConfig(resample_prob=0.0, spans=1)
    out = rewrite(x, None, None, LM, np.random.default_rng(1), cfg)
    assert len(out) == len(x)
    assert any(" ".join(p) in " ".join(out) for p in GENERIC_PHRASES)


class FixedScore(nn.Module):
    def __init__(self, scores: dict):
        super().__init__()
        self.scores = scores

    def forward(self, texts):
        p = torch.tensor([self.scores[t] for t in texts])
        return torch.stack([torch.log1p(-p), torch.log(p)], -1)


def test_retrieval_picks_least_and_most_machine_like():
    pool = RetrievalPool(["a", "b", "c"])
    pool.add(["d"])
    x_h, x_m = pool.retrieve(FixedScore({"a": 0.5, "b": 0.9, "c": 0.3, "d": 0.1}))
    assert (x_h, x_m) == ("d", "b")


def test_attacks_are_deterministic_given_the_rng_and_change_text():
    kit = AttackKit(
        LM, {"list": "tuple", "mutable": "immutable"}, [WORDS[:8]] * 4, [WORDS[4:]] * 4, synonym_rate=1.0
    )
    x = WORDS[:14]
    for name in ATTACKS:
        a = kit.apply(name, x, np.random.default_rng(5))
        assert a == kit.apply(name, x, np.random.default_rng(5))
    assert "list" not in kit.apply("paraphrase", x, np.random.default_rng(0))
    assert sorted(kit.paraphrase(x, np.random.default_rng(0))) != sorted(x)
