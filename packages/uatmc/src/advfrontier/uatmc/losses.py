"""Training losses of UAT-MC. The paper's equation numbers could not be retrieved (its PDF tables/equations
were not available); each loss names the term of the paper's objective it implements."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def bpr_loss(pos: torch.Tensor, neg: torch.Tensor) -> torch.Tensor:
    """L_BPR = −mean log σ(ŷ_ui − ŷ_uj)."""  # paper: L_BPR (Eq. number unavailable)
    return -F.logsigmoid(pos - neg).mean()


def reg_loss(user: torch.Tensor, pos: torch.Tensor, neg: torch.Tensor) -> torch.Tensor:
    """(‖P_B‖_F + ‖E⁺‖_F + ‖E⁻‖_F)/B, MMRec's EmbLoss (norms, not squared)."""  # paper: λ_reg·Reg
    return (user.norm() + pos.norm() + neg.norm()) / user.shape[0]


def align_loss(f_v: torch.Tensor, f_t: torch.Tensor, temperature: torch.Tensor) -> torch.Tensor:
    """Symmetric InfoNCE on logits e^τ·F_v F_tᵀ with diagonal positives."""  # paper: λ_al·L_align
    logits = temperature.exp() * f_v @ f_t.T
    target = torch.arange(f_v.shape[0], device=f_v.device)
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def batch_bpr(user_emb: torch.Tensor, item_emb: torch.Tensor, batch: torch.Tensor) -> torch.Tensor:
    """BPR loss of (user, pos, neg) rows of ``batch`` under the given embeddings."""
    u, i, j = user_emb[batch[:, 0]], item_emb[batch[:, 1]], item_emb[batch[:, 2]]
    return bpr_loss((u * i).sum(1), (u * j).sum(1))


def coordination_objective(
    l_b: torch.Tensor, d_v: torch.Tensor, d_t: torch.Tensor, ga_weight: float
) -> torch.Tensor:
    """J = L_B + λ_ga·(1/N)Σ_i cos(∇_{δ_v,i}L_B, ∇_{δ_t,i}L_B), differentiable in δ."""  # paper: UAT-MC J
    g_v, g_t = torch.autograd.grad(l_b, (d_v, d_t), create_graph=True)
    return l_b + ga_weight * F.cosine_similarity(g_v, g_t, dim=1).mean()
