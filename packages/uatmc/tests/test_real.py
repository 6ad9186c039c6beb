"""The `real` scale: MovieLens-100k read from the recbole wheel's files, two modalities, a few steps."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from advfrontier.shared.config import with_overrides
from advfrontier.uatmc.config import REAL
from advfrontier.uatmc.data import target_candidates
from advfrontier.uatmc.evaluate import attack_setup, evaluate_model
from advfrontier.uatmc.real import item_texts_and_genres, kg_features, load_ml100k, ml100k_dir, read_ratings
from advfrontier.uatmc.run import make_model
from advfrontier.uatmc.train import train_adversarial, train_normal


def test_ml100k_files_have_the_documented_sizes_and_modalities():
    root = ml100k_dir()
    pairs, users, items = read_ratings(root)
    assert (len(pairs), len(users), len(items)) == (100_000, 943, 1_682)
    texts, genres = item_texts_and_genres(root, items)
    assert texts[items["1"]] == "Toy Story (1995)"
    assert genres.shape == (1_682, 19) and genres[items["1"]].sum() == 3  # Animation Children's Comedy
    kg = kg_features(root, items, min_count=5)
    assert kg.shape[0] == 1_682 and 1_000 < kg.shape[1] < 3_000
    assert (kg.sum(1) > 0).sum() > 1_500  # most films are linked to the knowledge graph


def test_real_config_is_the_released_vbpr_setting_on_cold_targets():
    assert (REAL.scale, REAL.dataset, REAL.model, REAL.seeds) == ("real", "ml100k", "vbpr", 3)
    assert (REAL.reg_weight, REAL.lr, REAL.emb_dim, REAL.hit_k, REAL.n_targets) == (1.0, 1e-3, 64, 50, 100)
    assert (REAL.target_pool, REAL.cold_max) == ("cold", 5)


def test_real_scale_few_steps_on_a_user_slice():
    data = load_ml100k(seed=0, max_users=60)
    assert data.t_feat.shape == (data.n_items, 384)
    assert np.allclose(np.linalg.norm(data.t_feat, axis=1), 1.0, atol=1e-4)
    assert data.v_feat.shape[0] == data.n_items and data.v_feat.shape[1] > 19
    cfg = with_overrides(REAL, n_targets=3, pgd_steps=2, epochs=1, at_epochs=1)
    cold = target_candidates(data, cfg)
    counts = np.bincount(data.train[:, 1], minlength=data.n_items)
    assert len(cold) > 0 and counts[cold].max() <= cfg.cold_max
    anchors, targets = attack_setup(data.n_users, data.n_items, cfg.anchor_frac, cfg.n_targets, 0, cold)
    assert set(targets) <= set(cold.tolist())
    torch.manual_seed(0)
    stage1 = train_normal(make_model(cfg, data), data, cfg, seed=0, max_steps=2)
    model = train_adversarial(stage1, data, cfg, "uat_mc", seed=0, max_steps=2)
    out = evaluate_model(model, data, cfg, anchors, targets)
    assert all(np.isfinite(v) for v in out.values())
    assert out["prom_vt"] >= 0 and 0 <= out["hr_clean"] <= 100


def test_cold_pool_without_cold_items_is_a_clear_error():
    data = load_ml100k(seed=0, max_users=60)
    with pytest.raises(ValueError, match="no cold items"):
        target_candidates(data, with_overrides(REAL, cold_max=-1))
