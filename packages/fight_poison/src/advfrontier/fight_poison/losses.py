"""REACT's losses: the surrogate's attacker loss, the detector's L_ACL and L_PBC, and plain CE."""

from __future__ import annotations

import torch
import torch.nn.functional as F

MGT = 1
"""Label of machine-generated text (human-written text is 0)."""


def attacker_loss(sur_logits: torch.Tensor, target_labels: torch.Tensor) -> torch.Tensor:
    # Eq. (3): L_att = −log P_sur(l̂ | X̃), l̂ = argmax D_tar(X̃) (the target's top-1 label, one query)
    return F.cross_entropy(sur_logits, target_labels)


def acl_loss(
    logits: torch.Tensor, labels: torch.Tensor, adv_logits: torch.Tensor, alpha: float
) -> torch.Tensor:
    # Eq. (5): L_ACL = −log P_tar(l | X) − α·log P_tar(MGT | X̃); every rewrite X̃ is machine text
    mgt = torch.full((adv_logits.shape[0],), MGT, dtype=torch.long, device=adv_logits.device)
    return F.cross_entropy(logits, labels) + alpha * F.cross_entropy(adv_logits, mgt)


def pbc_loss(
    cls: torch.Tensor, adv_cls: torch.Tensor, labels: torch.Tensor, delta_same: float, delta_diff: float
):
    # Eq. (6): L_PBC = 1[l=l̃]·max(0, 1−δ_same−c) + 1[l≠l̃]·max(0, c−δ_diff), c = cos(h(X), h(X̃)), l̃ = MGT
    c = F.cosine_similarity(cls, adv_cls, dim=-1)
    same = (labels == MGT).float()
    return (same * F.relu(1 - delta_same - c) + (1 - same) * F.relu(c - delta_diff)).mean()


def detector_loss(
    logits: torch.Tensor,
    cls: torch.Tensor,
    labels: torch.Tensor,
    adv_logits: torch.Tensor,
    adv_cls: torch.Tensor,
    alpha: float,
    lambda_pbc: float,
    delta_same: float,
    delta_diff: float,
) -> torch.Tensor:
    # Eq. (7): L_det = L_ACL + λ_pbc·L_PBC
    loss = acl_loss(logits, labels, adv_logits, alpha)
    if lambda_pbc:
        loss = loss + lambda_pbc * pbc_loss(cls, adv_cls, labels, delta_same, delta_diff)
    return loss
