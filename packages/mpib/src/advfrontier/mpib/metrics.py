"""Metrics: Spearman ρ, speaker-verification EER, ROC AUC (membership inference), linear-probe accuracy."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman ρ: Pearson correlation of the average ranks (0 when either side is constant)."""
    ra, rb = rankdata(a), rankdata(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    den = np.sqrt((ra**2).sum() * (rb**2).sum())
    return float((ra * rb).sum() / den) if den > 0 else 0.0


def roc_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(score of a positive > score of a negative) + ½ P(tie) (Mann–Whitney U / (n_pos·n_neg))."""
    pos, neg = np.asarray(pos, float), np.asarray(neg, float)
    r = rankdata(np.concatenate([pos, neg]))
    u = r[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2
    return float(u / (len(pos) * len(neg)))


def eer(genuine: np.ndarray, impostor: np.ndarray) -> float:
    """Equal error rate of a verifier accepting when score ≥ t.

    FRR(t) = P(genuine < t), FAR(t) = P(impostor ≥ t); both step functions are evaluated at every distinct
    score and the EER is read where FAR − FRR changes sign, interpolating linearly between those scores.
    0 is a perfect verifier, 0.5 one that knows nothing.
    """
    gen, imp = np.sort(np.asarray(genuine, float)), np.sort(np.asarray(impostor, float))
    t = np.unique(np.concatenate([gen, imp, [np.inf]]))
    frr = np.searchsorted(gen, t, side="left") / len(gen)
    far = 1.0 - np.searchsorted(imp, t, side="left") / len(imp)
    d = far - frr  # non-increasing from 1 (t = min) to −1 (t = inf)
    k = int(np.argmax(d <= 0))
    if k == 0 or d[k] == 0:
        return float((far[k] + frr[k]) / 2)
    w = d[k - 1] / (d[k - 1] - d[k])
    return float((1 - w) * (far[k - 1] + frr[k - 1]) / 2 + w * (far[k] + frr[k]) / 2)


def verification_scores(
    codes: np.ndarray, speaker: np.ndarray, session: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Scores of all pairs of clips from different sessions, split into (same speaker, different speakers).

    The score is the cosine similarity of the centred codes; for a 1-d code (where a cosine is only a sign)
    it is −|z_i − z_j|.
    """
    if codes.shape[1] == 1:
        sim = -np.abs(codes - codes.T)
    else:
        z = codes - codes.mean(0)
        z = z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)
        sim = z @ z.T
    iu = np.triu_indices(len(codes), k=1)
    s, same, cross = (
        sim[iu],
        (speaker[:, None] == speaker[None, :])[iu],
        (session[:, None] != session[None, :])[iu],
    )
    return s[same & cross], s[~same & cross]


def probe_accuracy(codes: np.ndarray, speaker: np.ndarray, session: np.ndarray, seed: int = 0) -> float:
    """Speaker accuracy (%) of a logistic-regression probe trained on the first half of each speaker's
    sessions and tested on the rest (codes standardised on the probe's training part)."""
    from sklearn.linear_model import LogisticRegression

    cut = np.median(np.unique(session))
    tr, te = session < cut, session >= cut
    mu, sd = codes[tr].mean(0), codes[tr].std(0) + 1e-6
    clf = LogisticRegression(max_iter=300, C=1.0, random_state=seed)
    clf.fit((codes[tr] - mu) / sd, speaker[tr])
    return float(100.0 * (clf.predict((codes[te] - mu) / sd) == speaker[te]).mean())
