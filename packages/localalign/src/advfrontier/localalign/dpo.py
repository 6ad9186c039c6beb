"""Preference losses: DPO (SecAlign) and LocalAlign's margin-aware DPO with a batch-adaptive β.

The LocalAlign paper text was not available; the margin-aware rule follows the released code
(``run_secalign_belta_Z_smooth.py``, ``BetaDPOTrainer``):

    M_i   = β₀ · [(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))]
    M̄     = mean_i M_i,   M₀ ← first M̄ (then an EMA of M̄, momentum 0.9, updated after use)
    σ²    ← 0.9·σ² + 0.1·(M̄ − M₀)²   (σ² starts at 1, updated before use)
    β     = clip(β₀ · exp(λ · tanh((M̄ − M₀)/√(σ² + 1e-8))), β_min, β_max)
    loss  = −log σ(sg[β] · [(log π_w − log π_l) − (log π_ref,w − log π_ref,l)])

The model card speaks of per-pair strength (more pressure on small-margin pairs); the code has one β per
batch, used here (see the README's deviations).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import Tensor
from torch.nn import functional as F


def dpo_logits(pi_w: Tensor, pi_l: Tensor, ref_w: Tensor, ref_l: Tensor) -> Tensor:
    """h = (log π(y_w) − log π(y_l)) − (log π_ref(y_w) − log π_ref(y_l)), per pair."""
    return (pi_w - pi_l) - (ref_w - ref_l)


def dpo_loss(pi_w: Tensor, pi_l: Tensor, ref_w: Tensor, ref_l: Tensor, beta: float | Tensor) -> Tensor:
    # DPO (Rafailov et al., 2023, Eq. 7): L = −E log σ(β·h), h = dpo_logits; SecAlign's objective
    return -F.logsigmoid(beta * dpo_logits(pi_w, pi_l, ref_w, ref_l)).mean()


@dataclass
class AdaptiveBeta:
    """Batch-level β of LocalAlign's code: β₀·exp(λ·tanh(z)), z the batch margin's EMA z-score."""

    beta0: float = 0.1
    lam: float = 1.0
    momentum: float = 0.9
    beta_min: float = 0.01
    beta_max: float = 1.0
    fixed_steps: int = 0
    """Steps (counted from 0) that use β₀ while the statistics warm up (the code's ``warmup_steps``)."""
    m0: float = field(default=0.0, init=False)
    var: float = field(default=1.0, init=False)
    step: int = field(default=0, init=False)
    initialized: bool = field(default=False, init=False)

    def __call__(self, pi_w: Tensor, pi_l: Tensor, ref_w: Tensor, ref_l: Tensor) -> float:
        m_bar = float((self.beta0 * dpo_logits(pi_w, pi_l, ref_w, ref_l)).detach().mean())
        if not self.initialized:
            self.m0, self.initialized = m_bar, True
        delta = m_bar - self.m0
        self.var = self.momentum * self.var + (1 - self.momentum) * delta * delta
        if self.step <= self.fixed_steps - 1:
            beta = self.beta0
        else:
            z = delta / math.sqrt(self.var + 1e-8)
            beta = min(max(self.beta0 * math.exp(self.lam * math.tanh(z)), self.beta_min), self.beta_max)
        self.m0 = self.momentum * self.m0 + (1 - self.momentum) * m_bar
        self.step += 1
        return beta


def margin_aware_dpo_loss(
    pi_w: Tensor, pi_l: Tensor, ref_w: Tensor, ref_l: Tensor, schedule: AdaptiveBeta
) -> tuple[Tensor, float]:
    # LocalAlign margin-aware DPO (code BetaDPOTrainer; paper eq. unavailable): −log σ(sg[β_batch]·h)
    beta = schedule(pi_w, pi_l, ref_w, ref_l)
    return dpo_loss(pi_w, pi_l, ref_w, ref_l, torch.tensor(beta)), beta
