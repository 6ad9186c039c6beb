"""EER on closed-form cases, AUC and Spearman against independent references, verification pairs."""

import numpy as np
import pytest
from scipy.stats import norm, spearmanr
from sklearn.metrics import roc_auc_score

from advfrontier.mpib.metrics import eer, probe_accuracy, roc_auc, spearman, verification_scores


@pytest.mark.parametrize("mu", [0.5, 1.0, 2.0])
def test_eer_of_two_unit_gaussians_is_phi_of_minus_half_the_gap(mu):
    rng = np.random.default_rng(0)
    gen, imp = rng.normal(mu, 1, 40000), rng.normal(0, 1, 40000)
    assert abs(eer(gen, imp) - norm.cdf(-mu / 2)) < 0.006


def test_eer_extremes_and_a_hand_case():
    assert eer(np.array([2.0, 3.0]), np.array([0.0, 1.0])) == 0.0
    assert eer(np.array([0.0, 1.0]), np.array([2.0, 3.0])) == 1.0
    # genuine {1, 3}, impostor {0, 2}: at t in (1, 2] FRR = 1/2, FAR = 1/2
    assert eer(np.array([1.0, 3.0]), np.array([0.0, 2.0])) == 0.5
    x = np.random.default_rng(1).normal(size=3000)
    assert abs(eer(x, x) - 0.5) < 1e-9


def test_roc_auc_and_spearman_match_references():
    rng = np.random.default_rng(2)
    pos, neg = rng.integers(0, 5, 300).astype(float), rng.integers(0, 4, 200).astype(float)  # many ties
    y = np.r_[np.ones(300), np.zeros(200)]
    assert abs(roc_auc(pos, neg) - roc_auc_score(y, np.r_[pos, neg])) < 1e-12
    a, b = rng.integers(0, 6, 100), rng.normal(size=100)
    assert abs(spearman(a, b) - spearmanr(a, b).statistic) < 1e-12


def test_verification_pairs_are_cross_session_and_split_by_speaker():
    spk = np.repeat([0, 1, 2], 4)
    ses = np.tile([0, 0, 1, 1], 3)
    codes = np.random.default_rng(3).normal(size=(12, 5))
    gen, imp = verification_scores(codes, spk, ses)
    assert len(gen) == 3 * 4  # per speaker: 2 × 2 cross-session pairs
    # speaker pair (a, b): a's 2 session-0 clips × b's 2 session-1 clips + the converse = 8; 3 pairs → 24
    assert len(imp) == 24
    z = (codes - codes.mean(0)) / np.linalg.norm(codes - codes.mean(0), axis=1, keepdims=True)
    brute = sorted(
        z[i] @ z[j] for i in range(12) for j in range(i + 1, 12) if spk[i] != spk[j] and ses[i] != ses[j]
    )
    assert np.allclose(sorted(imp), brute)


def test_identity_code_leaks_and_noise_code_does_not():
    rng = np.random.default_rng(4)
    spk, ses = np.repeat(np.arange(10), 8), np.tile(np.repeat([0, 1, 2, 3], 2), 10)
    centres = rng.normal(size=(10, 8)) * 3
    leaky = centres[spk] + rng.normal(size=(80, 8))
    noise = rng.normal(size=(80, 8))
    assert eer(*verification_scores(leaky, spk, ses)) < 0.1
    assert abs(eer(*verification_scores(noise, spk, ses)) - 0.5) < 0.1
    assert probe_accuracy(leaky, spk, ses) > 90
    assert probe_accuracy(noise, spk, ses) < 40
