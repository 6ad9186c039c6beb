"""Training-time perturbations of the projected features f_v, f_t (stage 2 of UAT-MC).

From δ = 0, one L2-normalised ascent step per item: δ*_m,i = ε‖f_m,i‖·h_m,i/(‖h_m,i‖ + 1e-8), clipped to
±ε‖f_m,i‖, where h_m = ∇_{δ_m} of
  - L_B(δ) for single-modality AT (only m ∈ {v} or {t} perturbed) and naive multimodal AT (λ_ga = 0);
  - J(δ) = L_B(δ) + λ_ga·mean_i cos(∇_{δ_v,i}L_B, ∇_{δ_t,i}L_B) for UAT-MC (coordinated perturbations).
Gradients are taken w.r.t. δ only, so the model parameters get no gradient from this step (unlike the
released code, deviation Q3).
"""

from __future__ import annotations

import torch

from advfrontier.uatmc.losses import batch_bpr, coordination_objective
from advfrontier.uatmc.models import Backbone


def normalized_step(h: torch.Tensor, f: torch.Tensor, eps: float) -> torch.Tensor:
    """ε‖f_i‖·h_i/(‖h_i‖ + 1e-8), clipped coordinate-wise to ±ε‖f_i‖."""
    bound = eps * f.norm(dim=1, keepdim=True)
    step = bound * h / (h.norm(dim=1, keepdim=True) + 1e-8)
    return torch.maximum(torch.minimum(step, bound), -bound)


def training_perturbation(
    model: Backbone,
    f_v: torch.Tensor,
    f_t: torch.Tensor,
    batch: torch.Tensor,
    eps: float,
    modalities: str,
    ga_weight: float = 0.0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """(δ_v, δ_t) for the batch; ``modalities`` is "v", "t" or "vt"; λ_ga > 0 needs "vt"."""
    if modalities not in ("v", "t", "vt"):
        raise ValueError(f"modalities must be 'v', 't' or 'vt', got {modalities!r}")
    if ga_weight and modalities != "vt":
        raise ValueError("gradient alignment (λ_ga > 0) needs both modalities perturbed")
    f_v, f_t = f_v.detach(), f_t.detach()
    d_v = torch.zeros_like(f_v, requires_grad=True)
    d_t = torch.zeros_like(f_t, requires_grad=True)
    user, item = model.embed(f_v + d_v, f_t + d_t)
    l_b = batch_bpr(user, item, batch)
    objective = coordination_objective(l_b, d_v, d_t, ga_weight) if ga_weight else l_b
    h_v, h_t = torch.autograd.grad(objective, (d_v, d_t), allow_unused=True)
    h_v = torch.zeros_like(f_v) if h_v is None else h_v
    h_t = torch.zeros_like(f_t) if h_t is None else h_t
    zero = torch.zeros_like
    delta_v = normalized_step(h_v, f_v, eps) if "v" in modalities else zero(f_v)
    delta_t = normalized_step(h_t, f_t, eps) if "t" in modalities else zero(f_t)
    return delta_v.detach(), delta_t.detach()


METHOD_MODALITIES: dict[str, str] = {"at_v": "v", "at_t": "t", "mm_at": "vt", "uat_mc": "vt"}
"""Which features each defence perturbs in training."""
