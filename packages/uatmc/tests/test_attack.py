"""The promotion attack: loss closed form, budget, ascent, frozen model, and the hit ratio."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from advfrontier.uatmc.attack import max_hit_loss, promotion_attack, promotion_grad_cosine, scores_with
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


def test_vbpr_gradient_cosine_closed_form(make_tiny):
    """VBPR with all hinges active: ∇_{f_m,t} L = W_mᵀ mean_u p_u^(2) − (K-th item terms, absent for t)."""
    m, f_v, f_t, _ = make_tiny()
    anchors, t = torch.arange(7), 2
    with torch.no_grad():
        m.user[:, m.d :] = m.user[:, m.d :] + 0.0
    # huge margin: every anchor's hinge is active; t is not any user's K-th item when K = 1 and t is never top
    s = scores_with(m, f_v, f_t, t, anchors, f_v[t], f_t[t])
    k = 1
    keep = s.argmax(dim=1) != t
    anchors = anchors[keep]
    p2 = m.user[anchors, m.d :].detach().mean(0)
    w = m.fuse.weight.detach()
    g_v, g_t = w[:, : m.d].T @ p2, w[:, m.d :].T @ p2
    expected = F.cosine_similarity(g_v, g_t, dim=0).item()
    assert promotion_grad_cosine(m, f_v, f_t, t, anchors, k, 1e6) == pytest.approx(expected, rel=1e-9)
