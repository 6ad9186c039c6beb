"""DICAR: Domain Interpolation Consistency Adversarial Regularization (RAAT's regulariser).

On the samples whose clean prediction is correct in both augmented views (index set I):
x_mix = m·x_adv¹ + (1 − m)·x_adv²,   z_mix = m·f(x¹) + (1 − m)·f(x²),   m = max(λ, 1 − λ), λ ~ Beta(α, α),
L_DICAR = lam · JS_T(f(x_mix), z_mix).
The paper's equation numbers could not be read here; the formulas follow the released code.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

LOG_FLOOR = 1e-8
"""The released code clamps the mixture M at this value before its log."""


def js_divergence(logits_a: Tensor, logits_b: Tensor, temperature: float) -> Tensor:
    """JS_T(a, b) = ½[KL(P_a‖M) + KL(P_b‖M)], P = softmax(·/T), M = ½(P_a + P_b); batch mean (DICAR)."""
    p_a = F.softmax(logits_a / temperature, dim=1)
    p_b = F.softmax(logits_b / temperature, dim=1)
    log_m = ((p_a + p_b) / 2).clamp_min(LOG_FLOOR).log()
    return (F.kl_div(log_m, p_a, reduction="batchmean") + F.kl_div(log_m, p_b, reduction="batchmean")) / 2


def mixing_coefficient(alpha: float) -> float:
    """m = max(λ, 1 − λ) with λ ~ Beta(α, α) from torch's global RNG, so m ∈ [0.5, 1] (DICAR)."""
    if alpha <= 0:
        raise ValueError(f"Beta parameter must be > 0, got {alpha}")
    lam = float(torch.distributions.Beta(torch.tensor(float(alpha)), torch.tensor(float(alpha))).sample())
    return max(lam, 1.0 - lam)


def both_views_correct(right: Tensor) -> Tensor:
    """Index set I (a mask of length B) from the 2B stacked views' correctness [x¹; x²]: correct in both.

    ``right`` comes from the eval-mode clean predictions (the partition's ``~misclassified``), as the
    released code predicts with ``model.eval()`` before it switches back to train mode.
    """
    first, second = right.chunk(2)
    return first & second


def dicar_loss(
    model: nn.Module,
    x_adv: Tensor,
    logits_clean: Tensor,
    keep: Tensor,
    m: float,
    temperature: float,
    weight: float,
) -> Tensor:
    """lam·JS_T(f(m·x_adv¹ + (1−m)·x_adv²), m·f(x¹) + (1−m)·f(x²)) over ``keep`` (DICAR, released code)."""
    if weight == 0 or not bool(keep.any()):
        return logits_clean.sum() * 0.0
    adv_1, adv_2 = x_adv.detach().chunk(2)
    z_1, z_2 = logits_clean.chunk(2)
    x_mix = m * adv_1[keep] + (1 - m) * adv_2[keep]
    z_mix = m * z_1[keep] + (1 - m) * z_2[keep]  # not detached, as in the released code
    return weight * js_divergence(model(x_mix), z_mix, temperature)
