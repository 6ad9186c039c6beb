"""The miniature's splits are disjoint and balanced; Algorithm 1 teaches the detector to flag rewrites."""

import numpy as np
import torch

from advfrontier.fight_poison.config import SMOKE
from advfrontier.fight_poison.mini_data import build_corpus, few_shot
from advfrontier.fight_poison.mini_run import ngram_rewriter, react_options
from advfrontier.fight_poison.models import Detector, HashEncoder, Surrogate
from advfrontier.fight_poison.react import predict_proba, react_train, train_ce
from advfrontier.fight_poison.text import detokenize, tokenize


def test_splits_are_disjoint_balanced_and_unseen_by_the_generators():
    c = build_corpus(SMOKE)
    splits = [c.train_pool, c.val, c.test, c.ood]
    for i, a in enumerate(splits):
        assert (a.labels == 0).sum() == (a.labels == 1).sum() or a is c.train_pool
        for b in splits[i + 1 :]:
            assert not set(a.texts) & set(b.texts)
    lm_text = " ".join(" ".join(s) for s in c.lm_streams)
    human_test = [t for t, y in zip(c.test.texts, c.test.labels, strict=True) if y == 0]
    assert sum(" ".join(tokenize(t)) in lm_text for t in human_test) == 0
    shot = few_shot(c.train_pool, 8, seed=3)
    assert (shot.labels == 0).sum() == 8 and (shot.labels == 1).sum() == 8
    assert shot.texts == few_shot(c.train_pool, 8, seed=3).texts != few_shot(c.train_pool, 8, seed=4).texts


def test_detokenize_round_trips_tokens():
    c = build_corpus(SMOKE)
    for t in c.test.texts[:50]:
        assert tokenize(detokenize(tokenize(t))) == tokenize(t)


def test_react_makes_the_detector_flag_fresh_rewrites_more_than_ce():
    c = build_corpus(SMOKE)
    train = few_shot(c.train_pool, 16, seed=0)
    g = ngram_rewriter(c.lm, SMOKE.rewrite)
    rng = np.random.default_rng(7)
    held_out = [t for t, y in zip(c.val.texts, c.val.labels, strict=True) if y == 1]
    fresh = [g(t, held_out[0], held_out[1], rng) for t in held_out[2:]]
    probs = {}
    for method in ("ce", "react"):
        torch.manual_seed(0)
        det, sur = Detector(HashEncoder(512), 32), Surrogate(512)
        train_ce(det, train.texts, train.labels, 10, 8, 1e-2, 0.03, np.random.default_rng(0))
        if method == "ce":
            train_ce(det, train.texts, train.labels, 2, 8, 1e-2, 0.03, np.random.default_rng(1))
        else:
            react_train(
                det,
                sur,
                g,
                train.texts,
                train.labels,
                react_options(SMOKE, True, True),
                np.random.default_rng(1),
            )
        probs[method] = predict_proba(det, fresh).mean()
    assert probs["react"] > probs["ce"] + 0.05
