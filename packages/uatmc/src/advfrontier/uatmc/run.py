"""One seed of the UAT-MC experiment: data, stage-1 model, four defences, utility and attack metrics."""

from __future__ import annotations

import tempfile
from pathlib import Path

import torch

from advfrontier.uatmc.config import UATMCConfig
from advfrontier.uatmc.data import MMData, load_data
from advfrontier.uatmc.evaluate import attack_setup, evaluate_model
from advfrontier.uatmc.models import Backbone, build_model
from advfrontier.uatmc.train import train_adversarial, train_normal


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


def run_seed(cfg: UATMCConfig, seed: int, max_steps: int | None = None) -> dict[str, float]:
    """Metrics keyed "<method>/<metric>"; "control/grad_cos" from the control data set when enabled."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(cfg.work_dir or tmp) / f"data_seed{seed}"
        data = load_data(cfg, seed, root, two_groups=True)
        control = (
            load_data(cfg, seed, root, two_groups=False)
            if cfg.control and cfg.dataset == "synthetic"
            else None
        )
    anchors, targets = attack_setup(data.n_users, data.n_items, cfg.anchor_frac, cfg.n_targets, seed)
    anchors = anchors.to(cfg.device)
    torch.manual_seed(seed)
    stage1 = train_normal(make_model(cfg, data), data, cfg, seed, max_steps)
    metrics: dict[str, float] = {}
    for method in cfg.methods:
        model = stage1 if method == "none" else train_adversarial(stage1, data, cfg, method, seed, max_steps)
        metrics.update(
            {f"{method}/{k}": v for k, v in evaluate_model(model, data, cfg, anchors, targets).items()}
        )
    if control is not None:
        torch.manual_seed(seed)
        c_anchors, c_targets = attack_setup(
            control.n_users, control.n_items, cfg.anchor_frac, cfg.n_targets, seed
        )
        c_model = train_normal(make_model(cfg, control), control, cfg, seed, max_steps)
        res = evaluate_model(c_model, control, cfg, c_anchors.to(cfg.device), c_targets)
        metrics.update({f"control/{k}": res[k] for k in ("grad_cos", "recall@20", "ndcg@10", "pgd_gain")})
    return metrics
