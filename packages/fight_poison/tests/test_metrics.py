"""Metrics against scikit-learn and their definitions."""

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score, roc_curve

from advfrontier.fight_poison.metrics import attack_success_rate, auroc, f1, tpr_at_fpr


def test_auroc_and_f1_match_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = np.round(y + rng.normal(0, 1.2, 300), 1)  # ties included
    assert np.isclose(auroc(y, s), 100 * roc_auc_score(y, s))
    p = (s > 0.5).astype(int)
    assert np.isclose(f1(y, p), 100 * f1_score(y, p))


def test_tpr_at_fpr_respects_the_fpr_budget_and_matches_roc():
    rng = np.random.default_rng(1)
    y = np.r_[np.zeros(1000), np.ones(1000)].astype(int)
    s = np.r_[rng.normal(0, 1, 1000), rng.normal(2, 1, 1000)]
    fpr, tpr, _ = roc_curve(y, s)
    assert np.isclose(tpr_at_fpr(y, s, 0.01), 100 * tpr[fpr <= 0.01].max())


def test_asr_counts_only_texts_detected_before():
    before = np.array([1, 1, 1, 0, 0])
    after = np.array([0, 1, 0, 0, 1])
    assert attack_success_rate(before, after) == 100 * 2 / 3
