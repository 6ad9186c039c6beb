"""One detector's metrics: clean, under each test attack (at 0.5 and at a matched FPR), and OOD."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from advfrontier.fight_poison.metrics import (
    accuracy,
    attack_success_rate,
    auroc,
    f1,
    threshold_at_fpr,
    tpr_at_fpr,
)

MATCHED_FPR = 0.05
"""The false-positive rate on validation human texts that sets every detector's matched threshold."""


def detection_metrics(labels: np.ndarray, scores: np.ndarray, threshold: float, prefix: str = "") -> dict:
    """Acc, F1, AUROC and TPR@1%FPR (all in %) of ``scores > threshold``."""
    preds = (scores > threshold).astype(int)
    return {
        f"{prefix}acc": accuracy(labels, preds),
        f"{prefix}f1": f1(labels, preds),
        f"{prefix}auroc": auroc(labels, scores),
        f"{prefix}tpr1": tpr_at_fpr(labels, scores, 0.01),
    }


Scored = Mapping[str, tuple[np.ndarray, np.ndarray]]


def _asr(out: dict, key: str, before: np.ndarray, adv_scores: Scored, thr: float) -> None:
    asrs = []
    for name, (idx, s_adv) in adv_scores.items():
        out[f"{key}_{name}"] = attack_success_rate(before[idx], (s_adv > thr).astype(int))
        asrs.append(out[f"{key}_{name}"])
    if asrs:
        out[f"{key}_avg"] = float(np.mean(asrs))
        out[f"{key}_max"] = float(np.max(asrs))


def evaluate(
    score: Callable[[Sequence[str]], np.ndarray],
    threshold: float,
    test: tuple[Sequence[str], np.ndarray],
    attacked: Mapping[str, tuple[np.ndarray, Sequence[str]]],
    ood: tuple[Sequence[str], np.ndarray],
    val_human: Sequence[str] | None = None,
    fpr: float = MATCHED_FPR,
) -> dict[str, float]:
    """``attacked[name] = (MGT test indices, attacked texts)``; ASR per attack, then mean and max.

    ``asr_*`` use ``threshold`` (the paper's 0.5). With ``val_human``, ``asr5_*`` use the threshold at
    which ``fpr`` of the validation human texts are flagged (the same FPR for every detector), and
    ``fpr5``/``tpr5`` are the test FPR and TPR (%) at that threshold: a detector that only shifted
    towards "MGT" gets no lower ``asr5``.
    """
    texts, labels = test
    s = score(texts)
    out = detection_metrics(labels, s, threshold)
    adv_scores = {name: (idx, score(adv)) for name, (idx, adv) in attacked.items()}
    _asr(out, "asr", (s > threshold).astype(int), adv_scores, threshold)
    if val_human is not None:
        thr5 = threshold_at_fpr(score(val_human), fpr)
        out["fpr5"] = 100.0 * float(np.mean(s[labels == 0] > thr5))
        out["tpr5"] = 100.0 * float(np.mean(s[labels == 1] > thr5))
        _asr(out, "asr5", (s > thr5).astype(int), adv_scores, thr5)
    ood_texts, ood_labels = ood
    out.update(detection_metrics(ood_labels, score(ood_texts), threshold, prefix="ood_"))
    return out
