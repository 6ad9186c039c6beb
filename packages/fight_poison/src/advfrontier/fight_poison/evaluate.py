"""One detector's metrics: clean, under each test attack, and out of distribution."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from advfrontier.fight_poison.metrics import accuracy, attack_success_rate, auroc, f1, tpr_at_fpr


def detection_metrics(labels: np.ndarray, scores: np.ndarray, threshold: float, prefix: str = "") -> dict:
    """Acc, F1, AUROC and TPR@1%FPR (all in %) of ``scores > threshold``."""
    preds = (scores > threshold).astype(int)
    return {
        f"{prefix}acc": accuracy(labels, preds),
        f"{prefix}f1": f1(labels, preds),
        f"{prefix}auroc": auroc(labels, scores),
        f"{prefix}tpr1": tpr_at_fpr(labels, scores, 0.01),
    }


def evaluate(
    score: Callable[[Sequence[str]], np.ndarray],
    threshold: float,
    test: tuple[Sequence[str], np.ndarray],
    attacked: Mapping[str, tuple[np.ndarray, Sequence[str]]],
    ood: tuple[Sequence[str], np.ndarray],
) -> dict[str, float]:
    """``attacked[name] = (MGT test indices, attacked texts)``; ASR per attack, then mean and max."""
    texts, labels = test
    s = score(texts)
    out = detection_metrics(labels, s, threshold)
    preds = (s > threshold).astype(int)
    asrs = []
    for name, (idx, adv) in attacked.items():
        after = (score(adv) > threshold).astype(int)
        out[f"asr_{name}"] = attack_success_rate(preds[idx], after)
        asrs.append(out[f"asr_{name}"])
    if asrs:
        out["asr_avg"] = float(np.mean(asrs))
        out["asr_max"] = float(np.max(asrs))
    ood_texts, ood_labels = ood
    out.update(detection_metrics(ood_labels, score(ood_texts), threshold, prefix="ood_"))
    out["ood_drop"] = out["acc"] - out["ood_acc"]
    return out
