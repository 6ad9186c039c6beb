"""The n-gram LM's probabilities and the analytic Fast-DetectGPT score."""

import numpy as np

from advfrontier.fight_poison.ngram import NGramLM
from advfrontier.fight_poison.zeroshot import best_threshold, fast_detectgpt_score

STREAMS = [["a", "b", "a", "c", "a", "b", "b", "c"], ["c", "a", "b", "a"]]


def test_bigram_matches_interpolated_counts():
    lm = NGramLM(STREAMS, order=2, lambdas=(0.25, 0.75))
    counts = {"a": 5, "b": 4, "c": 3}
    uni = np.array([counts[w] + 0.1 for w in lm.vocab])
    uni /= uni.sum()
    after_a = {"a": 0, "b": 3, "c": 1}  # a→b three times, a→c once
    want = 0.25 * uni + 0.75 * np.array([after_a[w] / 4 for w in lm.vocab])
    assert np.allclose(lm.distribution(["x", "a"]), want)
    assert np.isclose(lm.distribution(["zzz"]).sum(), 1.0)  # unseen context backs off to the unigram


def test_sampling_is_deterministic_and_temperature_sharpens():
    lm = NGramLM(STREAMS, order=3)
    s1 = lm.sample(["a"], 30, 1.0, np.random.default_rng(3))
    assert s1 == lm.sample(["a"], 30, 1.0, np.random.default_rng(3))
    ent = []
    for t in (0.3, 3.0):
        toks = lm.sample(["a", "b"], 400, t, np.random.default_rng(0))
        _, c = np.unique(toks, return_counts=True)
        ent.append(-(c / c.sum() * np.log(c / c.sum())).sum())
    assert ent[0] < ent[1]


def test_fast_detectgpt_numerator_has_zero_mean_under_the_model():
    # E_{x~p}[log p(x_t) − μ_t] = 0 per position, so samples at T = 1 score around 0 and T < 1 above it
    lm = NGramLM(STREAMS, order=2)
    rng = np.random.default_rng(0)
    at1 = [fast_detectgpt_score(lm, lm.sample(["a"], 12, 1.0, rng)) for _ in range(400)]
    cold = [fast_detectgpt_score(lm, lm.sample(["a"], 12, 0.3, rng)) for _ in range(100)]
    assert abs(np.mean(at1)) < 0.15
    assert np.mean(cold) > np.mean(at1) + 0.5


def test_best_threshold_separates_separable_scores():
    s = np.array([0.1, 0.2, 0.3, 0.9, 1.0])
    y = np.array([0, 0, 0, 1, 1])
    thr = best_threshold(s, y)
    assert np.all((s > thr) == y)
