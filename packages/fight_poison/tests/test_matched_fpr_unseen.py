"""Matched-FPR thresholds and the unseen (character-level) attack."""

import numpy as np
import pytest

from advfrontier.fight_poison.evaluate import evaluate
from advfrontier.fight_poison.metrics import threshold_at_fpr
from advfrontier.fight_poison.unseen_attacks import apply_unseen, typo


def test_threshold_at_fpr_is_the_lowest_with_the_budget():
    rng = np.random.default_rng(0)
    h = rng.normal(size=200)
    for fpr in (0.0, 0.01, 0.05, 0.2):
        t = threshold_at_fpr(h, fpr)
        assert np.mean(h > t) <= fpr
        assert np.mean(h >= t) > fpr  # any lower threshold would flag one more human text
    with pytest.raises(ValueError, match="fpr"):
        threshold_at_fpr(h, 1.0)


def _toy():
    """Texts whose score is the number after 'x'; attacks halve it."""
    texts = [f"x{v}" for v in np.linspace(0.0, 1.0, 41)]
    labels = np.array([0] * 20 + [1] * 21)
    idx = np.flatnonzero(labels == 1)
    attacked = {"halve": (idx, [f"x{float(texts[i][1:]) * 0.8}" for i in idx])}
    val_human = [f"x{v}" for v in np.linspace(0.0, 0.5, 21)]
    return texts, labels, attacked, val_human


def test_a_detector_shifted_towards_mgt_gains_at_0_5_but_not_at_matched_fpr():
    texts, labels, attacked, val_human = _toy()

    def base(t):
        return np.array([float(s[1:]) for s in t])

    def shifted(t):  # the same ranking, pushed towards "MGT"
        return np.sqrt(base(t))

    a = evaluate(base, 0.5, (texts, labels), attacked, (texts, labels), val_human)
    b = evaluate(shifted, 0.5, (texts, labels), attacked, (texts, labels), val_human)
    assert b["asr_avg"] < a["asr_avg"]  # a lower ASR at 0.5 only from the shift
    assert b["asr5_avg"] == pytest.approx(a["asr5_avg"])
    assert b["fpr5"] == pytest.approx(a["fpr5"]) and a["fpr5"] <= 10.0


def test_typo_edits_inner_letters_of_long_words_only():
    text = "the detector flags machine generated passages with remarkable accuracy ."
    out = typo(text, np.random.default_rng(0), rate=1.0)
    a, b = text.split(), out.split()
    assert len(a) == len(b)
    changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    assert len(changed) >= 5
    for x, y in changed:
        assert len(x) >= 4 and x[0] == y[0] and x[-1] == y[-1] and abs(len(x) - len(y)) <= 1
    assert typo(text, np.random.default_rng(0), rate=0.0) == text
    assert apply_unseen("typo", text, np.random.default_rng(3)) == apply_unseen(
        "typo", text, np.random.default_rng(3)
    )
    with pytest.raises(ValueError, match="unseen attack"):
        apply_unseen("humanize", text, np.random.default_rng(0))
