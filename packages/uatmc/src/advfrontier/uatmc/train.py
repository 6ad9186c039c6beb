"""Stage 1 (BPR + regulariser + cross-modal alignment) and stage 2 (adversarial training, P_v, P_t frozen).

Model selection keeps the epoch with the best validation Recall@20 (never the test split).
"""

from __future__ import annotations

import copy

import numpy as np
import torch

from advfrontier.shared.engine import budget_reached
from advfrontier.uatmc.data import MMData
from advfrontier.uatmc.losses import align_loss, batch_bpr, reg_loss
from advfrontier.uatmc.metrics import recall_ndcg
from advfrontier.uatmc.models import Backbone
from advfrontier.uatmc.perturb import METHOD_MODALITIES, training_perturbation


def bpr_batches(data: MMData, batch_size: int, rng: np.random.Generator) -> list[torch.Tensor]:
    """One epoch of (user, pos, neg) triples; negatives uniform over items the user has not trained on."""
    seen = set(map(tuple, data.train.tolist()))
    order = rng.permutation(len(data.train))
    triples = []
    for idx in order:
        u, i = data.train[idx]
        j = int(rng.integers(data.n_items))
        while (u, j) in seen:
            j = int(rng.integers(data.n_items))
        triples.append((u, i, j))
    t = torch.as_tensor(np.array(triples, dtype=np.int64))
    return list(t.split(batch_size))


def validate(
    model: Backbone, data: MMData, held_out: np.ndarray, ks: tuple[int, ...] = (10, 20)
) -> dict[str, float]:
    """Recall/NDCG@K (%) on ``held_out`` with training items masked."""
    model.eval()
    with torch.no_grad():
        user, item = model.embed(*model.project())
        out = recall_ndcg((user @ item.T).cpu(), data.train, held_out, ks)
    model.train()
    return out


def _fit(
    model: Backbone,
    data: MMData,
    epochs: int,
    eval_every: int,
    lr: float,
    batch_size: int,
    seed: int,
    step_loss,
    params: list[torch.nn.Parameter],
    max_steps: int | None = None,
) -> Backbone:
    """Adam on ``params`` with ``step_loss(batch)``; returns the model at its best validation Recall@20."""
    rng = np.random.default_rng(seed)
    opt = torch.optim.Adam(params, lr=lr)
    best, best_state, steps = -1.0, copy.deepcopy(model.state_dict()), 0
    model.train()
    for epoch in range(1, epochs + 1):
        for batch in bpr_batches(data, batch_size, rng):
            opt.zero_grad()
            step_loss(batch.to(model.v_raw.device)).backward()
            opt.step()
            steps += 1
            if (max_steps is not None and steps >= max_steps) or budget_reached(steps):  # --max-steps
                return model
        if epoch % eval_every == 0 or epoch == epochs:
            r20 = validate(model, data, data.valid, (20,))["recall@20"]
            if r20 > best:
                best, best_state = r20, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    return model


def train_normal(model: Backbone, data: MMData, cfg, seed: int, max_steps: int | None = None) -> Backbone:
    """Stage 1: L = L_BPR + λ_reg·Reg + λ_al·InfoNCE(f_v, f_t)."""

    def loss(batch: torch.Tensor) -> torch.Tensor:
        f_v, f_t = model.project()
        user, item = model.embed(f_v, f_t)
        reg = reg_loss(user[batch[:, 0]], item[batch[:, 1]], item[batch[:, 2]])
        return (
            batch_bpr(user, item, batch)
            + cfg.reg_weight * reg
            + cfg.align_weight * align_loss(f_v, f_t, model.temperature)
        )

    return _fit(
        model,
        data,
        cfg.epochs,
        cfg.eval_every,
        cfg.lr,
        cfg.batch_size,
        seed,
        loss,
        list(model.parameters()),
        max_steps,
    )


def train_adversarial(
    stage1: Backbone, data: MMData, cfg, method: str, seed: int, max_steps: int | None = None
) -> Backbone:
    """Stage 2 from a copy of the stage-1 model: L = L_BPR(F) + λ_adv·L_BPR(F + δ*) + λ_reg·Reg."""
    model = copy.deepcopy(stage1)
    for p in model.projection_parameters():
        p.requires_grad_(False)
    modalities = METHOD_MODALITIES[method]
    ga = cfg.ga_weight if method == "uat_mc" else 0.0

    def loss(batch: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            f_v, f_t = model.project()
        if cfg.swap_modalities_in_at:  # released code's deviation Q1: v and t swapped during AT
            f_v, f_t = f_t, f_v
        d_v, d_t = training_perturbation(model, f_v, f_t, batch, cfg.train_eps, modalities, ga)
        user, item = model.embed(f_v, f_t)
        _, item_adv = model.embed(f_v + d_v, f_t + d_t)
        reg = reg_loss(user[batch[:, 0]], item[batch[:, 1]], item[batch[:, 2]])
        return (
            batch_bpr(user, item, batch)
            + cfg.adv_weight * batch_bpr(user, item_adv, batch)
            + cfg.reg_weight * reg
        )

    params = [p for p in model.parameters() if p.requires_grad]
    return _fit(
        model, data, cfg.at_epochs, cfg.eval_every, cfg.lr, cfg.batch_size, seed + 1, loss, params, max_steps
    )
