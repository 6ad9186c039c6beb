"""Training of one method on one fold: Adam on the summed losses, dynamic precision scheduling for MP-IB."""

from __future__ import annotations

import math

import torch

from advfrontier.mpib.config import MpibConfig
from advfrontier.mpib.data import Corpus
from advfrontier.mpib.losses import (
    adversary_loss,
    agitation_loss,
    kl_loss,
    recon_target,
    reconstruction_loss,
    speaker_loss,
)
from advfrontier.mpib.model import VARIANTS, TraitStateModel
from advfrontier.shared.engine import capped


def bits_at(epoch: int, epochs: int, start_bits: int, final_bits: int, anneal_frac: float) -> int:
    """Dynamic precision scheduling: linear from start_bits (epoch 0) to final_bits at anneal_frac·epochs."""
    span = round(anneal_frac * epochs)
    if span <= 0 or epoch >= span:
        return final_bits
    return round(start_bits - (start_bits - final_bits) * epoch / span)


def grl_lambda(progress: float, lam_max: float, gamma: float) -> float:
    """Ganin & Lempitsky (2015) reversal schedule: λ_max·(2/(1 + exp(−γ·p)) − 1), 0 at p = 0, → λ_max."""
    return lam_max * (2.0 / (1.0 + math.exp(-gamma * progress)) - 1.0)


def build_model(cfg: MpibConfig, method: str, n_features: int, n_speakers: int) -> TraitStateModel:
    return TraitStateModel(
        n_features,
        n_speakers,
        VARIANTS[method],
        cfg.hidden,
        cfg.pool_windows,
        cfg.trait_dim,
        cfg.state_dim,
        adv_lambda=cfg.lambda_adv,
        quantiser=cfg.quantiser,
    )


def total_loss(
    model: TraitStateModel,
    out: dict[str, torch.Tensor],
    x: torch.Tensor,
    y: torch.Tensor,
    spk: torch.Tensor,
    cfg: MpibConfig,
) -> torch.Tensor:
    """L = L_agit + λ_T L_spk + λ_r L_rec (+ λ_adv L_adv) (+ β L_KL): Eqs. (1)–(5)."""
    target = recon_target(model.encoder.norm(x))
    loss = agitation_loss(out["agitation"], y)
    loss = loss + cfg.lambda_trait * speaker_loss(out["speaker_logits"], spk)
    loss = loss + cfg.lambda_rec * reconstruction_loss(out["recon"], target)
    if "adv_logits" in out:
        loss = loss + adversary_loss(out["adv_logits"], spk)  # λ_adv enters through the reversal
    if "mu" in out:
        loss = loss + cfg.beta * kl_loss(out["mu"], out["logvar"])
    return loss


def fit(cfg: MpibConfig, method: str, train: Corpus, seed: int) -> TraitStateModel:
    """Train one method on the training speakers; returns the model in eval mode at its final precision."""
    speakers, spk = torch.unique(train.speaker, return_inverse=True)
    model = build_model(cfg, method, train.x.shape[-1], len(speakers)).to(cfg.device)
    model.encoder.norm.fit(train.x.to(cfg.device))
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    g = torch.Generator().manual_seed(seed)
    steps = 0
    per_epoch = math.ceil(len(train) / cfg.batch_size)
    total = cfg.epochs * per_epoch if cfg.max_steps is None else min(cfg.max_steps, cfg.epochs * per_epoch)
    limit = capped(total)  # --max-steps
    for epoch in range(cfg.epochs):
        model.set_state_bits(bits_at(epoch, cfg.epochs, cfg.start_bits, cfg.state_bits, cfg.anneal_frac))
        model.train()
        order = torch.randperm(len(train), generator=g)
        for i in range(0, len(order), cfg.batch_size):
            idx = order[i : i + cfg.batch_size]
            x = train.x[idx].to(cfg.device)
            y = train.agitation[idx].to(cfg.device)
            s = spk[idx].to(cfg.device)
            model.adv_lambda = grl_lambda(steps / max(total, 1), cfg.lambda_adv, cfg.adv_gamma)
            loss = total_loss(model, model(x), x, y, s, cfg)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            steps += 1
            if steps >= limit:
                break
        if steps >= limit:
            break
    model.set_state_bits(cfg.state_bits)
    return model.eval()
