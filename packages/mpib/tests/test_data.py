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
