"""Evaluation of one trained model: Recall/NDCG, targets' HR@K before/after attack, gains, and the
within-model mechanism measures (how the gains of δ_v alone, δ_t alone and both together overlap)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from advfrontier.uatmc.attack import promotion_attack, scores_with
from advfrontier.uatmc.data import MMData
from advfrontier.uatmc.models import Backbone
from advfrontier.uatmc.train import validate

PGD_ATTACKS: tuple[str, ...] = ("vt", "v", "t")
"""PGD on both features (the paper's attack), on f_v,t alone and on f_t,t alone."""


def attack_setup(
    n_users: int, n_items: int, anchor_frac: float, n_targets: int, seed: int, candidates=None
) -> tuple[torch.Tensor, list[int]]:
    """Anchor users (a random share) and target items (uniform over ``candidates``, default all items),
    fixed per seed and shared by all defences."""
    rng = np.random.default_rng(10_000 + seed)
    anchors = np.sort(rng.choice(n_users, size=max(1, round(anchor_frac * n_users)), replace=False))
    pool = np.arange(n_items) if candidates is None else np.asarray(candidates)
    targets = rng.choice(pool, size=min(n_targets, len(pool)), replace=False)
    return torch.as_tensor(anchors), [int(t) for t in targets]


def gain(before: float, after: float) -> float:
    """Promotion gain (after/before − 1)·100 %, on the mean HR over targets (before floored at 1e-6)."""
    return (after / max(before, 1e-6) - 1.0) * 100.0


def hits(scores: torch.Tensor, target: int, k: int) -> torch.Tensor:
    """Per anchor row: does the target rank in the top K over all items (no masking)?"""
    return (scores > scores[:, target : target + 1]).sum(dim=1) < k


def overlap_measures(
    clean: torch.Tensor, joint: torch.Tensor, only_v: torch.Tensor, only_t: torch.Tensor
) -> dict[str, float]:
    """Pooled (anchor, target) hit indicators → how the promotions of δ_v alone, δ_t alone and both overlap.

    A pair is promoted by an attack when it is not a hit clean and is one after the attack. All in %:
    prom_vt / prom_v / prom_t: promoted pairs per anchor–target pair; prom_union: pairs promoted by δ_v
    alone or δ_t alone (= prom_v + prom_t − their overlap); joint_excess = prom_vt − prom_union: what only
    the modalities together promote; reach_v / reach_t: share of the jointly promoted pairs that δ_v
    alone / δ_t alone also promotes; overlap: Jaccard of the pairs promoted by δ_v alone and by δ_t alone.
    """
    p_vt, p_v, p_t = joint & ~clean, only_v & ~clean, only_t & ~clean
    n, n_vt, union = clean.numel(), int(p_vt.sum()), int((p_v | p_t).sum())
    pct = 100.0 / max(n, 1)
    return {
        "prom_vt": pct * n_vt,
        "prom_v": pct * int(p_v.sum()),
        "prom_t": pct * int(p_t.sum()),
        "prom_union": pct * union,
        "joint_excess": pct * (n_vt - union),
        "reach_v": 100.0 * int((p_vt & p_v).sum()) / max(n_vt, 1),
        "reach_t": 100.0 * int((p_vt & p_t).sum()) / max(n_vt, 1),
        "overlap": 100.0 * int((p_v & p_t).sum()) / max(union, 1),
    }


def evaluate_model(
    model: Backbone, data: MMData, cfg, anchors: torch.Tensor, targets: list[int]
) -> dict[str, float]:
    """Test Recall/NDCG@K (%); targets' HR@K (%, K = hit_k) clean, FGSM and PGD (joint, v-only, t-only);
    gains (%); the overlap measures of :func:`overlap_measures`; score_cos: cosine over anchor users of
    the target-score changes that δ_v alone and δ_t alone make (both mapped into the same score space)."""
    out = validate(model, data, data.test, tuple(cfg.topk))
    model.eval()
    with torch.no_grad():
        f_v, f_t = model.project()
    k = cfg.hit_k
    rows: dict[str, list[torch.Tensor]] = {key: [] for key in ("clean", "fgsm", *PGD_ATTACKS)}
    cos = []
    for t in targets:
        s_clean = scores_with(model, f_v, f_t, t, anchors, f_v[t], f_t[t])
        rows["clean"].append(hits(s_clean, t, k))
        x_v, x_t = promotion_attack(
            model, f_v, f_t, t, anchors, cfg.attack_eps, "fgsm", k, cfg.fgsm_margin, cfg.pgd_steps
        )
        rows["fgsm"].append(hits(scores_with(model, f_v, f_t, t, anchors, x_v, x_t), t, k))
        delta = {}
        for mods in PGD_ATTACKS:
            x_v, x_t = promotion_attack(
                model, f_v, f_t, t, anchors, cfg.attack_eps, "pgd", k, cfg.pgd_margin, cfg.pgd_steps, mods
            )
            s_adv = scores_with(model, f_v, f_t, t, anchors, x_v, x_t)
            rows[mods].append(hits(s_adv, t, k))
            delta[mods] = s_adv[:, t] - s_clean[:, t]
        cos.append(float(F.cosine_similarity(delta["v"], delta["t"], dim=0, eps=1e-12)))
    model.train()
    pooled = {key: torch.cat(v) for key, v in rows.items()}
    hr = {key: 100.0 * float(torch.stack(v).float().mean()) for key, v in rows.items()}
    out.update({"hr_clean": hr["clean"], "hr_fgsm": hr["fgsm"], "hr_pgd": hr["vt"]})
    out["fgsm_gain"] = gain(hr["clean"], hr["fgsm"])
    out["pgd_gain"] = gain(hr["clean"], hr["vt"])
    out["pgd_gain_v"] = gain(hr["clean"], hr["v"])
    out["pgd_gain_t"] = gain(hr["clean"], hr["t"])
    out.update(overlap_measures(pooled["clean"], pooled["vt"], pooled["v"], pooled["t"]))
    out["score_cos"] = float(np.mean(cos))
    return out
