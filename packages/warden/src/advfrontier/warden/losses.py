"""Per-example outer losses of the base methods that WARDEN reweights.

The WARDEN paper's text was not readable (only its abstract and digests), so equation numbers cite
the base methods' formulas as their released code computes them (CAT: Xhonneux et al., 2024,
"Efficient adversarial training in LLMs with continuous attacks", sophie-xhonneux/Continuous-AdvTrain).
CAT's code averages over the batch before combining; WARDEN needs the per-example terms, kept here.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def toward_loss(refusal_nll: Tensor, cutoff: float = 0.0) -> Tensor:
    # CAT-UL "toward" term: refusal NLL under attack; rows below ``cutoff`` give 0 (no gradient)
    return torch.where(refusal_nll > cutoff, refusal_nll, torch.zeros_like(refusal_nll))


def away_loss(harmful_nll: Tensor, clip: float = -5.0, slope: float = 1e-3) -> Tensor:
    # CAT-UL "away" term: −NLL of the harmful target, below ``clip`` continued as clip + slope·value
    neg = -harmful_nll
    return torch.where(neg < clip, clip + slope * neg, neg)


def cat_adversarial_losses(
    refusal_nll: Tensor, harmful_nll: Tensor, w_toward: float, w_away: float, cutoff: float, clip: float
) -> Tensor:
    # CAT-UL adversarial loss per example ℓ_i = w_t·toward_i + w_a·away_i (CAT: mean; WARDEN: reweighted)
    return w_toward * toward_loss(refusal_nll, cutoff) + w_away * away_loss(harmful_nll, clip)


def ipo_losses(
    chosen_logp: Tensor,
    rejected_logp: Tensor,
    ref_chosen_logp: Tensor,
    ref_rejected_logp: Tensor,
    beta: float,
) -> Tensor:
    # CAPO per example: IPO (Azar et al. 2024, eq. 17) (z − 1/(2β))², z = length-normalised log-ratio margin
    z = (chosen_logp - ref_chosen_logp) - (rejected_logp - ref_rejected_logp)
    return (z - 1.0 / (2.0 * beta)) ** 2


def utility_loss(answer_nll: Tensor) -> Tensor:
    # CAT utility term: mean NLL of the benign answers (not reweighted by WARDEN)
    return answer_nll.mean()


def nll_to_logp(nll: Tensor) -> Tensor:
    """Length-normalised log-probability from a per-example mean NLL."""
    return -nll


def ce(logits: Tensor, labels: Tensor, pad_id: int = 0) -> Tensor:
    """Token cross-entropy ignoring ``pad_id`` (used by pretraining)."""
    return F.cross_entropy(logits.transpose(1, 2), labels, ignore_index=pad_id)
