"""Training of the miniature: a base model, its safety alignment, then CAT with a pluggable aggregator.

CAT and WARDEN differ only in how the per-example adversarial losses of a step are combined
(``aggregate``): same attack, steps, learning rate, batches and utility term.
"""

from __future__ import annotations

import torch
from torch import nn

from advfrontier.shared.engine import capped
from advfrontier.warden.attacks import embedding_attack
from advfrontier.warden.config import WardenConfig
from advfrontier.warden.dro import aggregate
from advfrontier.warden.losses import cat_adversarial_losses, utility_loss
from advfrontier.warden.model import embed, response_nll
from advfrontier.warden.task import GROUPS, KIND_HARMFUL, aligned_response, make_batch


def _fit(model: nn.Module, cfg: WardenConfig, steps: int, g: torch.Generator, aligned: bool) -> None:
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.0)
    model.train()
    for _ in range(capped(steps)):  # --max-steps
        b = make_batch(cfg.batch_size, g, n_words=cfg.n_words, group_probs=cfg.group_probs, harmful_frac=0.4)
        resp = aligned_response(b) if aligned else b.answer
        loss = response_nll(model, embed(model, b.prompt), resp).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()


def pretrain(model: nn.Module, cfg: WardenConfig, g: torch.Generator) -> None:
    """Base model (benign answers, harmful compliance), then safety alignment (harmful → REFUSE)."""
    _fit(model, cfg, cfg.base_steps, g, aligned=False)
    _fit(model, cfg, cfg.align_steps, g, aligned=True)


def method_aggregator(method: str, cfg: WardenConfig) -> tuple[str, float]:
    """(aggregator, radius) of a method name: cat → mean, warden_kl → KL ball ε, warden_chi2 → χ² ball ρ."""
    if method == "cat":
        return "mean", 0.0
    kind = method.removeprefix("warden_")
    radius = {"kl": cfg.kl_eps, "chi2": cfg.chi2_rho}.get(kind)
    if radius is None:
        raise ValueError(f"no radius configured for {method!r}")
    return kind, radius


def adversarial_train(
    model: nn.Module, cfg: WardenConfig, kind: str, radius: float, g: torch.Generator
) -> dict[str, float]:
    """CAT-UL with the adversarial losses aggregated by ``kind``; returns the mean n·q per harmful subgroup
    (1 = the uniform weight) and the mean largest n·q over steps."""
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.at_lr, weight_decay=0.0)
    sums = torch.zeros(len(GROUPS), dtype=torch.float64)
    counts = torch.zeros(len(GROUPS), dtype=torch.float64)
    top, steps = 0.0, capped(cfg.at_steps)  # --max-steps
    for _ in range(steps):
        hb = make_batch(cfg.adv_batch, g, n_words=cfg.n_words, group_probs=cfg.group_probs, kind=KIND_HARMFUL)
        ub = make_batch(
            cfg.util_batch, g, n_words=cfg.n_words, harmful_frac=0.0, near_frac=cfg.util_near_frac
        )
        adv = embedding_attack(model, hb.prompt, hb.target, cfg.eps_rel, cfg.attack_steps, g)
        model.train()
        clean = embed(model, hb.prompt)
        x = clean + (adv - clean.detach())  # same δ, gradient also reaches the embeddings
        ell = cat_adversarial_losses(
            response_nll(model, x, hb.refusal),
            response_nll(model, x, hb.target),
            cfg.w_toward,
            cfg.w_away,
            cfg.toward_cutoff,
            cfg.away_clip,
        )
        adv_loss, q = aggregate(ell, kind, radius)
        loss = adv_loss + cfg.w_util * utility_loss(response_nll(model, embed(model, ub.prompt), ub.answer))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        nq = q.detach().double() * len(q)
        sums.index_add_(0, hb.group, nq)
        counts.index_add_(0, hb.group, torch.ones_like(nq))
        top += float(nq.max())
    stats = {f"weight_{grp}": float(sums[i] / counts[i].clamp_min(1)) for i, grp in enumerate(GROUPS)}
    stats["weight_max"] = top / max(steps, 1)
    return stats
