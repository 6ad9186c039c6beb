"""Evaluation of one trained model: Recall/NDCG, targets' HR@K before/after attack, gain, cosine."""

from __future__ import annotations

import numpy as np
import torch

from advfrontier.uatmc.attack import promotion_attack, promotion_grad_cosine, scores_with
from advfrontier.uatmc.data import MMData
from advfrontier.uatmc.metrics import hit_ratio
from advfrontier.uatmc.models import Backbone
from advfrontier.uatmc.train import validate


def attack_setup(
    n_users: int, n_items: int, anchor_frac: float, n_targets: int, seed: int
) -> tuple[torch.Tensor, list[int]]:
    """Anchor users (a random share) and target items (uniform), fixed per seed and shared by all defences."""
    rng = np.random.default_rng(10_000 + seed)
    anchors = np.sort(rng.choice(n_users, size=max(1, round(anchor_frac * n_users)), replace=False))
    targets = rng.choice(n_items, size=min(n_targets, n_items), replace=False)
    return torch.as_tensor(anchors), [int(t) for t in targets]


def gain(before: float, after: float) -> float:
    """Promotion gain (after/before − 1)·100 %, on the mean HR over targets (before floored at 1e-6)."""
    return (after / max(before, 1e-6) - 1.0) * 100.0


def evaluate_model(
    model: Backbone, data: MMData, cfg, anchors: torch.Tensor, targets: list[int]
) -> dict[str, float]:
    """Test Recall/NDCG@K (%), targets' HR@K (%, K = hit_k) clean/FGSM/PGD, gains (%), mean cosine."""
    out = validate(model, data, data.test, tuple(cfg.topk))
    model.eval()
    with torch.no_grad():
        f_v, f_t = model.project()
    hr = {"clean": [], "fgsm": [], "pgd": []}
    cos = []
    k = cfg.hit_k
    for t in targets:
        hr["clean"].append(hit_ratio(scores_with(model, f_v, f_t, t, anchors, f_v[t], f_t[t]), t, k))
        for kind, margin in (("fgsm", cfg.fgsm_margin), ("pgd", cfg.pgd_margin)):
            x_v, x_t = promotion_attack(
                model, f_v, f_t, t, anchors, cfg.attack_eps, kind, k, margin, cfg.pgd_steps
            )
            hr[kind].append(hit_ratio(scores_with(model, f_v, f_t, t, anchors, x_v, x_t), t, k))
        cos.append(promotion_grad_cosine(model, f_v, f_t, t, anchors, k, cfg.fgsm_margin))
    model.train()
    means = {key: 100.0 * float(np.mean(v)) for key, v in hr.items()}
    out.update({"hr_clean": means["clean"], "hr_fgsm": means["fgsm"], "hr_pgd": means["pgd"]})
    out["fgsm_gain"] = gain(means["clean"], means["fgsm"])
    out["pgd_gain"] = gain(means["clean"], means["pgd"])
    out["grad_cos"] = float(np.mean(cos))
    return out
