"""Synthetic corpus structure, speaker-independent folds, config validation."""

import dataclasses

import numpy as np
import pytest
import torch

from advfrontier.mpib.config import MINI, SMOKE
from advfrontier.mpib.data import speaker_folds, synthetic_corpus
from advfrontier.mpib.metrics import spearman


def _corpus():
    return synthetic_corpus(12, 4, 3, 40, 10, 6, 0.7, 0.3, seed=0)


def test_folds_are_speaker_disjoint_and_tests_partition_speakers():
    c = _corpus()
    tests = []
    for k in range(4):
        f = speaker_folds(c, 4, k, seed=0)
        sets = [set(d.speaker.tolist()) for d in (f.train, f.val, f.test)]
        assert not (sets[0] & sets[1]) and not (sets[0] & sets[2]) and not (sets[1] & sets[2])
        assert len(f.train) + len(f.val) + len(f.test) == len(c)
        tests.append(sets[2])
    assert set().union(*tests) == set(range(12)) and sum(len(t) for t in tests) == 12


def test_agitation_is_per_session_and_drives_frame_jitter():
    c = _corpus()
    for s in range(12):
        for j in range(4):
            sel = (c.speaker == s) & (c.session == j)
            assert len(torch.unique(c.agitation[sel])) == 1
    jitter = (c.x[:, 1:] - c.x[:, :-1]).pow(2).mean((1, 2)).numpy()  # planted: higher y → rougher frames
    assert spearman(jitter, c.agitation.numpy()) > 0.3
    # identity dominates the clip means: a speaker's clips are far closer to each other than to others
    m = c.x.mean(1).numpy()
    d = np.linalg.norm(m[:, None] - m[None], axis=-1)
    same = c.speaker.numpy()[:, None] == c.speaker.numpy()[None]
    assert d[same & ~np.eye(len(m), dtype=bool)].mean() < 0.5 * d[~same].mean()


def test_config_rejects_bad_values_with_clear_messages():
    with pytest.raises(ValueError, match="unknown method"):
        dataclasses.replace(SMOKE, methods=("mpib", "nope"))
    with pytest.raises(ValueError, match="state_bits"):
        dataclasses.replace(MINI, state_bits=8, start_bits=4)
    with pytest.raises(ValueError, match="eval_split"):
        dataclasses.replace(MINI, eval_split="train")


def test_japanese_vowels_has_real_speakers_and_the_planted_state_is_recoverable():
    from advfrontier.mpib.data_vowels import japanese_vowels_corpus, read_ts, vowels_dir

    series, labels = read_ts(vowels_dir() / "JapaneseVowels_TRAIN.ts")
    assert len(series) == 270 and series[0].shape[1] == 12 and set(labels) == {str(k) for k in range(1, 10)}
    assert {s.shape[0] for s in series} <= set(range(7, 30))
    c = japanese_vowels_corpus(frames=29, sessions=4, speaker_bias=0.7, strength=0.5, seed=0)
    assert len(c) == 640 and len(torch.unique(c.speaker)) == 9 and int(c.session.max()) == 3
    for s in range(9):  # one planted state per (speaker, session)
        for j in range(4):
            assert len(torch.unique(c.agitation[(c.speaker == s) & (c.session == j)])) == 1
    jitter = (c.x[:, 1:] - c.x[:, :-1]).pow(2).mean((1, 2)).numpy()
    assert spearman(jitter, c.agitation.numpy()) > 0.3  # the planted state raises frame-to-frame jitter
    off = japanese_vowels_corpus(frames=29, sessions=4, speaker_bias=0.7, strength=0.0, seed=0)
    assert (
        abs(spearman((off.x[:, 1:] - off.x[:, :-1]).pow(2).mean((1, 2)).numpy(), off.agitation.numpy())) < 0.3
    )


def test_real_config_trains_a_few_steps_on_japanese_vowels():
    import math

    from advfrontier.mpib.config import REAL
    from advfrontier.mpib.paper import run

    cfg = dataclasses.replace(REAL, max_steps=2, latency_reps=1, hidden=8, methods=("mpib", "fp32"))
    m = run(cfg, seed=0)
    assert all(math.isfinite(v) for v in m.values())
    assert m["mpib/state_bits"] == 128 and 0.0 <= m["mpib/eer"] <= 1.0
