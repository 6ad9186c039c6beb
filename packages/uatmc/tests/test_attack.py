"""The promotion attack: loss closed form, budget, ascent, frozen model, and the hit ratio."""

from __future__ import annotations

import pytest
import torch

from advfrontier.uatmc.attack import max_hit_loss, promotion_attack, scores_with
from advfrontier.uatmc.evaluate import overlap_measures
from advfrontier.uatmc.metrics import hit_ratio


def test_max_hit_loss_closed_form():
    s = torch.tensor([[5.0, 1.0, 3.0, 2.0], [0.0, 4.0, 1.0, 2.0]])
    # K = 2: 2nd best 3 and 2; target 3 scores 2 and 2 → ReLU(2−3+0.5)=0, ReLU(2−2+0.5)=0.5
    assert max_hit_loss(s, 3, 2, 0.5).item() == pytest.approx(0.25)


def test_hit_ratio_closed_form():
    s = torch.tensor([[5.0, 1.0, 3.0, 2.0], [0.0, 4.0, 1.0, 2.0], [1.0, 1.0, 1.0, 0.0]])
    assert hit_ratio(s, 3, 2) == pytest.approx(1 / 3)
    assert hit_ratio(s, 3, 4) == pytest.approx(1.0)


@pytest.mark.parametrize("kind", ["fgsm", "pgd"])
def test_attack_respects_budget_raises_loss_and_leaves_model_alone(kind, make_tiny):
    m, f_v, f_t, _ = make_tiny()
    anchors, t, eps = torch.arange(5), 2, 0.2
    before = {k: v.clone() for k, v in m.state_dict().items()}
    m.train()
    x_v, x_t = promotion_attack(m, f_v, f_t, t, anchors, eps, kind, k=3, margin=10.0, steps=5)
    assert m.training
    assert all(torch.equal(before[k], v) for k, v in m.state_dict().items())
    assert (x_v - f_v[t]).abs().max() <= eps * f_v[t].norm() + 1e-12
    assert (x_t - f_t[t]).abs().max() <= eps * f_t[t].norm() + 1e-12
    clean = max_hit_loss(scores_with(m, f_v, f_t, t, anchors, f_v[t], f_t[t]), t, 3, 10.0)
    adv = max_hit_loss(scores_with(m, f_v, f_t, t, anchors, x_v, x_t), t, 3, 10.0)
    assert adv > clean


@pytest.mark.parametrize("kind", ["fgsm", "pgd"])
def test_single_modality_attack_keeps_the_other_feature_clean(kind, make_tiny):
    m, f_v, f_t, _ = make_tiny()
    anchors, t, eps = torch.arange(5), 2, 0.2
    x_v, x_t = promotion_attack(m, f_v, f_t, t, anchors, eps, kind, 3, 10.0, 5, modalities="v")
    assert torch.equal(x_t, f_t[t]) and not torch.equal(x_v, f_v[t])
    y_v, y_t = promotion_attack(m, f_v, f_t, t, anchors, eps, kind, 3, 10.0, 5, modalities="t")
    assert torch.equal(y_v, f_v[t]) and not torch.equal(y_t, f_t[t])
    with pytest.raises(ValueError, match="modalities"):
        promotion_attack(m, f_v, f_t, t, anchors, eps, kind, 3, 10.0, 5, modalities="a")


def test_vbpr_joint_score_change_is_the_sum_of_single_modality_changes(make_tiny):
    """VBPR is linear in (f_v, f_t): with the FGSM steps of the joint attack, the target's score change is
    exactly the sum of the changes of each step alone (any excess comes from the ranking)."""
    m, f_v, f_t, _ = make_tiny()
    anchors, t = torch.arange(7), 2
    x_v, x_t = promotion_attack(m, f_v, f_t, t, anchors, 0.2, "fgsm", 3, 10.0)
    base = scores_with(m, f_v, f_t, t, anchors, f_v[t], f_t[t])[:, t]
    d_vt = scores_with(m, f_v, f_t, t, anchors, x_v, x_t)[:, t] - base
    d_v = scores_with(m, f_v, f_t, t, anchors, x_v, f_t[t])[:, t] - base
    d_t = scores_with(m, f_v, f_t, t, anchors, f_v[t], x_t)[:, t] - base
    assert torch.allclose(d_vt, d_v + d_t, atol=1e-12)
    assert not torch.allclose(d_v, torch.zeros_like(d_v))


def test_overlap_measures_on_hand_made_hits():
    clean = torch.tensor([True, False, False, False, False, False])
    joint = torch.tensor([True, True, True, True, False, False])
    only_v = torch.tensor([True, True, False, False, True, False])
    only_t = torch.tensor([False, True, True, False, False, False])
    out = overlap_measures(clean, joint, only_v, only_t)
    # promoted: joint {1,2,3}, v {1,4}, t {1,2}, union {1,2,4}; 6 pairs
    expected = {
        "prom_vt": 50.0,
        "prom_v": 100 / 3,
        "prom_t": 100 / 3,
        "prom_union": 50.0,
        "joint_excess": 0.0,
    }
    expected |= {"reach_v": 100 / 3, "reach_t": 200 / 3, "overlap": 100 / 3}
    assert out == pytest.approx(expected)


def test_joint_drop_beyond_sum_reads_the_drops():
    from advfrontier.uatmc.claims import joint_drop_beyond_sum

    m = {"none/prom_vt": 40.0, "none/prom_union": 30.0, "uat_mc/prom_vt": 20.0, "uat_mc/prom_union": 25.0}
    assert joint_drop_beyond_sum(m, "none", "uat_mc") == pytest.approx(20.0 - 5.0)
