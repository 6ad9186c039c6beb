"""Detection metrics as the paper reports them (Acc, F1, ASR, TPR@1%FPR) plus AUROC; MGT is positive."""

from __future__ import annotations

import numpy as np


def accuracy(labels: np.ndarray, preds: np.ndarray) -> float:
    """Accuracy in %."""
    return 100.0 * float(np.mean(labels == preds))


def f1(labels: np.ndarray, preds: np.ndarray) -> float:
    """F1 of the MGT class in % (0 when nothing is predicted MGT)."""
    tp = float(np.sum((preds == 1) & (labels == 1)))
    fp = float(np.sum((preds == 1) & (labels == 0)))
    fn = float(np.sum((preds == 0) & (labels == 1)))
    return 100.0 * 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def auroc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve in %, by the rank-sum (Mann-Whitney) formula with ties counted half."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("AUROC needs both classes")
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return 100.0 * float(greater) / (len(pos) * len(neg))


def threshold_at_fpr(human_scores: np.ndarray, fpr: float) -> float:
    """The lowest threshold t with at most ``fpr`` of ``human_scores`` above it (rule: score > t)."""
    if not 0.0 <= fpr < 1.0:
        raise ValueError(f"fpr must be in [0, 1), got {fpr}")
    neg = np.sort(np.asarray(human_scores, dtype=float))[::-1]
    if len(neg) == 0:
        raise ValueError("threshold_at_fpr needs at least one human score")
    allowed = int(np.floor(fpr * len(neg)))
    return float(neg[allowed]) if allowed < len(neg) else -np.inf


def tpr_at_fpr(labels: np.ndarray, scores: np.ndarray, fpr: float = 0.01) -> float:
    """TPR in % at the strictest threshold whose false-positive rate on the human texts is ≤ ``fpr``."""
    thr = threshold_at_fpr(scores[labels == 0], fpr)
    return 100.0 * float(np.mean(scores[labels == 1] > thr))


def attack_success_rate(before: np.ndarray, after: np.ndarray) -> float:
    """ASR in %: MGT texts detected before the attack and missed after it, over those detected before."""
    hit = before == 1
    return 100.0 * float(np.sum(hit & (after == 0))) / max(int(hit.sum()), 1)
