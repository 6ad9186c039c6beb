"""Utility metrics and losses against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from advfrontier.uatmc.losses import align_loss, bpr_loss, reg_loss
from advfrontier.uatmc.metrics import recall_ndcg


def test_recall_ndcg_by_hand():
    scores = torch.tensor([[0.9, 0.8, 0.7, 0.6, 0.5], [0.1, 0.2, 0.3, 0.4, 0.5]])
    train = np.array([[0, 0]])  # masked: user 0 ranks 1, 2, 3, 4
    test = np.array([[0, 2], [0, 4], [1, 0]])  # user 1 ranks 4, 3, 2, 1, 0
    out = recall_ndcg(scores, train, test, (2,))
    d = [1 / math.log2(r + 2) for r in range(2)]
    r0, n0 = 0.5, d[1] / (d[0] + d[1])  # user 0: top-2 = (1, 2), hit at rank 1
    assert out["recall@2"] == pytest.approx(100 * (r0 + 0.0) / 2)
    assert out["ndcg@2"] == pytest.approx(100 * (n0 + 0.0) / 2)


def test_bpr_reg_align_closed_forms():
    pos, neg = torch.tensor([2.0, 0.0]), torch.tensor([1.0, 1.0])
    expected = -(math.log(1 / (1 + math.exp(-1))) + math.log(1 / (1 + math.exp(1)))) / 2
    assert bpr_loss(pos, neg).item() == pytest.approx(expected)
    u, i, j = torch.ones(4, 3), torch.zeros(4, 3), 2 * torch.ones(4, 3)
    assert reg_loss(u, i, j).item() == pytest.approx((math.sqrt(12) + 0 + math.sqrt(48)) / 4)
    f_v = F.normalize(torch.randn(6, 5), dim=1)
    f_t = F.normalize(torch.randn(6, 5), dim=1)
    tau = torch.tensor(0.07)
    logits = math.exp(0.07) * f_v @ f_t.T
    manual = -0.5 * (logits.log_softmax(1).diag().mean() + logits.log_softmax(0).diag().mean())
    assert align_loss(f_v, f_t, tau).item() == pytest.approx(manual.item(), rel=1e-6)
    assert align_loss(f_v, f_v, torch.tensor(3.0)) < align_loss(f_v, f_t, torch.tensor(3.0))
