"""QAE++ confidence metric: trash fidelity F and logit difference Δ, calibrated on clean validation data.

Each signal is mapped through its empirical CDF on clean validation inputs; the score is
s(x) = min(CDF_F(F(x)), CDF_Δ(Δ(x))). Rejecting when s < q is the rule "F < τ_F or Δ < τ_Δ" with both
thresholds at the same clean quantile q, chosen so that a fraction ``reject_rate`` of clean validation
inputs is rejected. [inferred: the paper states F and Δ as the metric; how it combines them is unknown]
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


def logit_margin(logits: Tensor) -> Tensor:
    """Δ = z_(1) − z_(2): the top logit minus the runner-up."""
    top2 = logits.topk(2, dim=1).values
    return top2[:, 0] - top2[:, 1]


def ecdf(reference: Tensor, values: Tensor) -> Tensor:
    """Fraction of ``reference`` values ≤ each of ``values``."""
    ref = reference.detach().flatten().sort().values
    return torch.searchsorted(ref, values.detach().to(ref.dtype), right=True).to(torch.float64) / len(ref)


@dataclass(frozen=True)
class ConfidenceRule:
    """Clean-validation references for F and Δ, and the rejection quantile q."""

    ref_fidelity: Tensor
    ref_margin: Tensor
    q: float

    def score(self, fidelity: Tensor, margin: Tensor) -> Tensor:
        """s = min(CDF_F(F), CDF_Δ(Δ)); low means unlike clean purified inputs."""
        return torch.minimum(ecdf(self.ref_fidelity, fidelity), ecdf(self.ref_margin, margin))

    def reject(self, fidelity: Tensor, margin: Tensor) -> Tensor:
        """True where the input is flagged as one the autoencoder could not purify."""
        return self.score(fidelity, margin) < self.q


def fit_rule(fidelity: Tensor, margin: Tensor, reject_rate: float) -> ConfidenceRule:
    """Pick q so that at most ``reject_rate`` of the clean validation inputs are rejected."""
    if not 0.0 <= reject_rate < 1.0:
        raise ValueError(f"reject_rate must be in [0, 1), got {reject_rate}")
    rule = ConfidenceRule(fidelity.detach().cpu(), margin.detach().cpu(), 0.0)
    s = rule.score(rule.ref_fidelity, rule.ref_margin).sort().values
    k = int(reject_rate * len(s))  # reject the k lowest scores: q = the (k+1)-th smallest score
    q = float(s[k]) if k < len(s) else float("inf")
    return ConfidenceRule(rule.ref_fidelity, rule.ref_margin, q)


def auroc(negatives: Tensor, positives: Tensor) -> float:
    """P(score of a positive > score of a negative) + ½ P(tie): the Mann–Whitney form of the ROC area."""
    neg = negatives.detach().flatten().to(torch.float64)
    pos = positives.detach().flatten().to(torch.float64)
    if len(neg) == 0 or len(pos) == 0:
        raise ValueError("AUROC needs at least one negative and one positive")
    greater = (pos[:, None] > neg[None, :]).to(torch.float64).sum()
    ties = (pos[:, None] == neg[None, :]).to(torch.float64).sum()
    return float((greater + 0.5 * ties) / (len(neg) * len(pos)))


@dataclass(frozen=True)
class SignalRule:
    """The same rule for any set of signals (larger = more like clean data): reject when
    min_k CDF_k(signal_k) < q, with q set on clean validation inputs. One signal gives a plain threshold;
    QAE++ is (fidelity, margin); the CAE's analogue is (−reconstruction error, margin)."""

    refs: tuple[Tensor, ...]
    q: float

    def score(self, signals: tuple[Tensor, ...]) -> Tensor:
        if len(signals) != len(self.refs):
            raise ValueError(f"rule has {len(self.refs)} signal(s), got {len(signals)}")
        cdfs = [ecdf(r, s.detach().cpu()) for r, s in zip(self.refs, signals, strict=True)]
        return torch.stack(cdfs).min(0).values

    def reject(self, signals: tuple[Tensor, ...]) -> Tensor:
        return self.score(signals) < self.q


def fit_signal_rule(signals: tuple[Tensor, ...], reject_rate: float) -> SignalRule:
    """q such that at most ``reject_rate`` of the clean validation inputs (``signals``) are rejected."""
    if not 0.0 <= reject_rate < 1.0:
        raise ValueError(f"reject_rate must be in [0, 1), got {reject_rate}")
    if not signals:
        raise ValueError("a rule needs at least one signal")
    rule = SignalRule(tuple(s.detach().cpu() for s in signals), 0.0)
    s = rule.score(rule.refs).sort().values
    k = int(reject_rate * len(s))
    return SignalRule(rule.refs, float(s[k]) if k < len(s) else float("inf"))
