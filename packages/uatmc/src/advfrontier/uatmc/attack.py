"""The evasion-based promotion attack on a frozen recommender (threat model of Xian et al.).

The attacker perturbs only the target item t's projected features f_v,t and f_t,t, jointly, in an L∞ ball
of radius ε·‖f‖ (‖f‖ = 1 after normalisation), to maximise
  L_hit(t) = mean_{u ∈ anchors} ReLU(ŷ_ut − ŷ_u,(K) + m),  ŷ_u,(K) = u's K-th best score (paper K = 50).
FGSM: one step of ε‖f‖·sign(∇) (m = 10); PGD: steps of 1.25ε/steps, projected on the ball (m = 1).
``modalities`` restricts the attack to δ_v alone ("v"), δ_t alone ("t") or both ("vt", the paper's attack);
the within-model mechanism test compares the three on one trained model.
The model is put in eval mode and restored afterwards; no model parameter is changed.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from advfrontier.uatmc.models import Backbone


def max_hit_loss(scores: torch.Tensor, target: int, k: int, margin: float) -> torch.Tensor:
    """mean_u ReLU(ŷ_ut − ŷ_u,(K) + m): the attacker's objective (maximised)."""  # paper: max_hit_K
    kth = scores.topk(k, dim=1).values[:, k - 1]
    return F.relu(scores[:, target] - kth + margin).mean()


def _scores(
    model: Backbone,
    f_v: torch.Tensor,
    f_t: torch.Tensor,
    target: int,
    x_v: torch.Tensor,
    x_t: torch.Tensor,
    anchors: torch.Tensor,
) -> torch.Tensor:
    """Anchor users' scores over all items with item t's features replaced by (x_v, x_t)."""
    rows = torch.arange(f_v.shape[0], device=f_v.device) == target
    fv = torch.where(rows[:, None], x_v[None], f_v)
    ft = torch.where(rows[:, None], x_t[None], f_t)
    user, item = model.embed(fv, ft)
    return user[anchors] @ item.T


def attack_gradients(
    model: Backbone,
    f_v: torch.Tensor,
    f_t: torch.Tensor,
    target: int,
    anchors: torch.Tensor,
    x_v: torch.Tensor,
    x_t: torch.Tensor,
    k: int,
    margin: float,
) -> tuple[torch.Tensor, ...]:
    """(L_hit, ∇_{x_v} L_hit, ∇_{x_t} L_hit) at item t's features (x_v, x_t)."""
    x_v, x_t = x_v.detach().requires_grad_(True), x_t.detach().requires_grad_(True)
    loss = max_hit_loss(_scores(model, f_v, f_t, target, x_v, x_t, anchors), target, k, margin)
    g_v, g_t = torch.autograd.grad(loss, (x_v, x_t))
    return loss.detach(), g_v, g_t


def promotion_attack(
    model: Backbone,
    f_v: torch.Tensor,
    f_t: torch.Tensor,
    target: int,
    anchors: torch.Tensor,
    eps: float,
    kind: str,
    k: int,
    margin: float,
    steps: int = 10,
    modalities: str = "vt",
) -> tuple[torch.Tensor, torch.Tensor]:
    """Adversarial (f_v,t, f_t,t) of target t by FGSM or PGD; ‖x' − x‖_∞ ≤ ε‖x‖ per attacked modality.

    A modality not in ``modalities`` keeps its clean feature (budget 0).
    """
    if modalities not in ("v", "t", "vt"):
        raise ValueError(f"modalities must be 'v', 't' or 'vt', got {modalities!r}")
    was_training = model.training
    model.eval()
    f_v, f_t = f_v.detach(), f_t.detach()
    o_v, o_t = f_v[target], f_t[target]
    e_v = eps * o_v.norm() if "v" in modalities else o_v.new_zeros(())
    e_t = eps * o_t.norm() if "t" in modalities else o_t.new_zeros(())
    try:
        if kind == "fgsm":
            _, g_v, g_t = attack_gradients(model, f_v, f_t, target, anchors, o_v, o_t, k, margin)
            return o_v + e_v * g_v.sign(), o_t + e_t * g_t.sign()
        if kind != "pgd":
            raise ValueError(f"kind must be 'fgsm' or 'pgd', got {kind!r}")
        x_v, x_t = o_v.clone(), o_t.clone()
        for _ in range(steps):
            _, g_v, g_t = attack_gradients(model, f_v, f_t, target, anchors, x_v, x_t, k, margin)
            x_v = o_v + (x_v + 1.25 * e_v / steps * g_v.sign() - o_v).clamp(-e_v, e_v)
            x_t = o_t + (x_t + 1.25 * e_t / steps * g_t.sign() - o_t).clamp(-e_t, e_t)
        return x_v.detach(), x_t.detach()
    finally:
        model.train(was_training)


def scores_with(
    model: Backbone,
    f_v: torch.Tensor,
    f_t: torch.Tensor,
    target: int,
    anchors: torch.Tensor,
    x_v: torch.Tensor,
    x_t: torch.Tensor,
) -> torch.Tensor:
    """Anchor scores with item t's features set to (x_v, x_t), without gradients."""
    with torch.no_grad():
        return _scores(model, f_v, f_t, target, x_v, x_t, anchors)
