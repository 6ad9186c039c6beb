"""Config checks fail with messages that say what is wrong."""

from __future__ import annotations

import pytest

from advfrontier.shared.config import with_overrides
from advfrontier.uatmc.config import MINI, PAPER_SCALE, PAPER_SCALE_MMGCN, SMOKE


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("model", "lattice", "model must be one of"),
        ("dataset", "movielens", "dataset must be one of"),
        ("methods", ("uat_mc",), "must include 'none'"),
        ("methods", ("none", "trades"), "unknown method"),
        ("anchor_frac", 0.0, "anchor_frac"),
        ("hit_k", 0, "hit_k"),
    ],
)
def test_bad_fields_are_rejected(field, value, message):
    with pytest.raises(ValueError, match=message):
        with_overrides(SMOKE, **{field: value})


def test_scales_are_named_and_paper_uses_released_baby_values():
    assert (SMOKE.scale, MINI.scale, PAPER_SCALE.scale) == ("smoke", "mini", "paper")
    assert MINI.seeds >= 3
    p = PAPER_SCALE
    assert (p.dataset, p.model, p.train_eps, p.adv_weight, p.ga_weight, p.reg_weight, p.lr) == (
        "baby",
        "vbpr",
        0.05,
        5.0,
        4.0,
        1.0,
        1e-3,
    )
    assert (p.v_hidden, p.t_hidden, p.emb_dim, p.batch_size, p.hit_k, p.pgd_steps) == (
        (1024, 256),
        (256,),
        64,
        2048,
        50,
        10,
    )


def test_paper_protocol_one_model_attack_seeds_one_to_ten_and_the_mmgcn_values():
    p = PAPER_SCALE
    assert (p.seeds, p.train_seed, p.attack_seed_offset, p.n_targets, p.hit_k) == (10, 999, 1, 100, 50)
    assert [s + p.attack_seed_offset for s in range(p.seeds)] == list(range(1, 11))
    m = PAPER_SCALE_MMGCN
    assert (m.model, m.dataset, m.train_eps, m.adv_weight, m.ga_weight, m.reg_weight, m.lr) == (
        "mmgcn",
        "baby",
        0.1,
        6.0,
        0.1,
        0.01,
        5e-4,
    )
    assert (m.seeds, m.train_seed, m.gcn_layers) == (10, 999, 3)


def test_reg_weight_is_chosen_on_validation_recall(tmp_path):
    from advfrontier.uatmc.data import load_data
    from advfrontier.uatmc.run import make_model, stage1_on_validation
    from advfrontier.uatmc.train import train_normal, validate

    cfg = with_overrides(SMOKE, epochs=3, reg_grid=(1.0, 1e-3))
    data = load_data(cfg, 0, tmp_path)
    model, chosen = stage1_on_validation(cfg, data, 0)
    assert chosen.reg_weight in (1.0, 1e-3)
    got = validate(model, data, data.valid, (20,))["recall@20"]
    for reg in cfg.reg_grid:  # retraining with the same seed reproduces each candidate
        c = with_overrides(cfg, reg_weight=reg)
        import torch

        torch.manual_seed(0)
        other = validate(train_normal(make_model(c, data), data, c, 0), data, data.valid, (20,))["recall@20"]
        assert got >= other
        if reg == chosen.reg_weight:
            assert got == other
