"""The paper config (Amazon Baby's hyperparameters) for two steps on tiny files in the real MMRec format."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from advfrontier.shared.config import with_overrides
from advfrontier.uatmc.config import PAPER_SCALE
from advfrontier.uatmc.data import load_mmrec, mmrec_split, write_mmrec
from advfrontier.uatmc.evaluate import attack_setup, evaluate_model
from advfrontier.uatmc.run import make_model
from advfrontier.uatmc.train import train_adversarial, train_normal


@pytest.mark.parametrize("model", ["vbpr", "mmgcn"])
def test_paper_config_two_steps_on_tiny_mmrec_files(tmp_path, model):
    rng = np.random.default_rng(0)
    n_users, n_items = 12, 60
    inter = mmrec_split([rng.choice(n_items, 12, replace=False) for _ in range(n_users)], rng)
    write_mmrec(tmp_path, "baby", inter, rng.random((n_items, 4096)), rng.normal(size=(n_items, 384)))
    cfg = with_overrides(
        PAPER_SCALE,
        device="cpu",
        data_dir=str(tmp_path),
        model=model,
        n_targets=2,
        epochs=1,
        at_epochs=1,
        pgd_steps=2,
    )
    assert (cfg.emb_dim, cfg.hit_k, cfg.batch_size, cfg.adv_weight, cfg.ga_weight) == (64, 50, 2048, 5.0, 4.0)
    data = load_mmrec(cfg.data_dir, cfg.dataset)
    assert data.v_feat.shape == (n_items, 4096) and data.t_feat.shape == (n_items, 384)
    torch.manual_seed(0)
    stage1 = train_normal(make_model(cfg, data), data, cfg, seed=0, max_steps=2)
    before = {k: v.clone() for k, v in stage1.state_dict().items()}
    at = train_adversarial(stage1, data, cfg, "uat_mc", seed=0, max_steps=2)
    after = at.state_dict()
    proj = [k for k in before if k.startswith("proj_")]
    assert proj and all(torch.equal(before[k], after[k]) for k in proj)  # P_v, P_t frozen in stage 2
    assert any(not torch.equal(before[k], after[k]) for k in before if not k.startswith("proj_"))
    anchors, targets = attack_setup(data.n_users, data.n_items, cfg.anchor_frac, cfg.n_targets, 0)
    out = evaluate_model(at, data, cfg, anchors, targets)
    assert all(np.isfinite(v) for v in out.values())
    assert out["hr_pgd"] >= 0 and -1 <= out["score_cos"] <= 1
    assert 0 <= out["reach_v"] <= 100 and 0 <= out["overlap"] <= 100
