"""Full-ranking utility metrics as MMRec computes them, and the hit ratio of a promoted item."""

from __future__ import annotations

import numpy as np
import torch


def topk_items(scores: torch.Tensor, mask_pairs: np.ndarray, k: int) -> torch.Tensor:
    """Top-k item indices per user row after setting the (user, item) pairs in ``mask_pairs`` to −∞."""
    scores = scores.clone()
    if len(mask_pairs):
        scores[torch.as_tensor(mask_pairs[:, 0]), torch.as_tensor(mask_pairs[:, 1])] = -torch.inf
    return scores.topk(k, dim=1).indices


def recall_ndcg(
    scores: torch.Tensor, train: np.ndarray, held_out: np.ndarray, ks: tuple[int, ...]
) -> dict[str, float]:
    """Recall@K = |top-K ∩ T_u|/|T_u|; NDCG@K = Σ_{r<K} 1[hit_r]/log2(r+2) / Σ_{r<min(|T_u|,K)} 1/log2(r+2).

    Averaged over users with held-out items; the training items are masked (MMRec's protocol). In %.
    """
    top = topk_items(scores, train, max(ks)).numpy()
    truth: dict[int, set[int]] = {}
    for u, i in held_out:
        truth.setdefault(int(u), set()).add(int(i))
    disc = 1.0 / np.log2(np.arange(2, max(ks) + 2))
    out: dict[str, list[float]] = {f"{m}@{k}": [] for k in ks for m in ("recall", "ndcg")}
    for u, items in truth.items():
        hits = np.array([i in items for i in top[u]], dtype=float)
        for k in ks:
            out[f"recall@{k}"].append(hits[:k].sum() / len(items))
            out[f"ndcg@{k}"].append((hits[:k] * disc[:k]).sum() / disc[: min(len(items), k)].sum())
    return {key: 100.0 * float(np.mean(v)) for key, v in out.items()}


def hit_ratio(scores: torch.Tensor, target: int, k: int) -> float:
    """HR@K(t): share of rows (anchor users) ranking t among their top K over all items (no masking)."""
    higher = (scores > scores[:, target : target + 1]).sum(dim=1)
    return float((higher < k).float().mean())
