"""One seed of the UAT-MC experiment: data, stage-1 model, four defences, utility and attack metrics."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import torch

from advfrontier.uatmc.config import UATMCConfig
from advfrontier.uatmc.data import MMData, load_data, target_candidates
from advfrontier.uatmc.evaluate import attack_setup, evaluate_model
from advfrontier.uatmc.models import Backbone, build_model
from advfrontier.uatmc.train import train_adversarial, train_normal, validate


def make_model(cfg: UATMCConfig, data: MMData) -> Backbone:
    """The configured backbone on the data set's raw features, on cfg.device."""
    return build_model(
        cfg.model,
        data.n_users,
        data.v_feat,
        data.t_feat,
        data.train,
        cfg.emb_dim,
        tuple(cfg.v_hidden),
        tuple(cfg.t_hidden),
        cfg.gcn_layers,
    ).to(cfg.device)


def stage1_on_validation(
    cfg: UATMCConfig, data: MMData, seed: int, max_steps: int | None = None
) -> tuple[Backbone, UATMCConfig]:
    """Stage 1 once per λ_reg of ``cfg.reg_grid`` (or with ``cfg.reg_weight``); the model with the best
    validation Recall@20 is kept, and its λ_reg is used in stage 2 by every defence."""
    best: tuple[float, Backbone, UATMCConfig] | None = None
    for reg in cfg.reg_grid or (cfg.reg_weight,):
        c = replace(cfg, reg_weight=reg)
        torch.manual_seed(seed)
        model = train_normal(make_model(c, data), data, c, seed, max_steps)
        r20 = validate(model, data, data.valid, (20,))["recall@20"]
        if best is None or r20 > best[0]:
            best = (r20, model, c)
    assert best is not None
    return best[1], best[2]


def run_seed(cfg: UATMCConfig, seed: int, max_steps: int | None = None) -> dict[str, float]:
    """Metrics keyed "<method>/<metric>": every defence is trained from one stage-1 model on one data set."""
    train_seed = seed if cfg.train_seed is None else cfg.train_seed
    with tempfile.TemporaryDirectory() as tmp:
        data = load_data(cfg, train_seed, Path(cfg.work_dir or tmp) / f"data_seed{train_seed}")
    attack_seed = seed + cfg.attack_seed_offset
    anchors, targets = attack_setup(
        data.n_users, data.n_items, cfg.anchor_frac, cfg.n_targets, attack_seed, target_candidates(data, cfg)
    )
    anchors = anchors.to(cfg.device)
    stage1, cfg = stage1_on_validation(cfg, data, train_seed, max_steps)
    metrics: dict[str, float] = {"none/reg_weight": cfg.reg_weight}
    for method in cfg.methods:
        model = (
            stage1
            if method == "none"
            else train_adversarial(stage1, data, cfg, method, train_seed, max_steps)
        )
        metrics.update(
            {f"{method}/{k}": v for k, v in evaluate_model(model, data, cfg, anchors, targets).items()}
        )
    return metrics
