"""Confidence metric: logit difference, ECDF score, calibrated rejection, AUROC against scikit-learn."""

from __future__ import annotations

import pytest
import torch
from sklearn.metrics import roc_auc_score

from advfrontier.qae.confidence import auroc, ecdf, fit_rule, logit_margin


def test_logit_margin_is_top_minus_runner_up() -> None:
    z = torch.tensor([[1.0, 3.0, 2.5], [0.0, -1.0, 4.0], [2.0, 2.0, 0.0]])
    torch.testing.assert_close(logit_margin(z), torch.tensor([0.5, 4.0, 0.0]))


def test_ecdf_counts_values_at_or_below() -> None:
    ref = torch.tensor([0.1, 0.2, 0.2, 0.9])
    torch.testing.assert_close(
        ecdf(ref, torch.tensor([0.0, 0.2, 0.5, 1.0])),
        torch.tensor([0.0, 0.75, 0.75, 1.0], dtype=torch.float64),
    )


def test_auroc_matches_sklearn_with_ties() -> None:
    g = torch.Generator().manual_seed(0)
    neg = torch.randint(0, 6, (40,), generator=g).double()
    pos = torch.randint(2, 9, (30,), generator=g).double()
    labels = [0] * 40 + [1] * 30
    expected = roc_auc_score(labels, torch.cat([neg, pos]).numpy())
    assert auroc(neg, pos) == pytest.approx(expected, abs=1e-12)
    assert auroc(pos, neg) == pytest.approx(1 - expected, abs=1e-12)


def test_rule_rejects_at_most_the_rate_on_calibration_data_and_flags_low_signals() -> None:
    g = torch.Generator().manual_seed(1)
    fid, margin = torch.rand(200, generator=g), torch.rand(200, generator=g) * 5
    for rate in (0.0, 0.05, 0.2):
        rule = fit_rule(fid, margin, rate)
        frac = float(rule.reject(fid, margin).double().mean())
        assert frac <= rate + 1e-12 and frac >= rate - 0.02
    rule = fit_rule(fid, margin, 0.1)
    # either signal far below the clean range is enough to reject ("F < τ_F or Δ < τ_Δ")
    assert rule.reject(torch.tensor([-1.0, 0.5]), torch.tensor([2.0, -1.0])).all()
    assert not rule.reject(torch.tensor([2.0]), torch.tensor([9.0])).any()
    with pytest.raises(ValueError, match="reject_rate"):
        fit_rule(fid, margin, 1.0)
