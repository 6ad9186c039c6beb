"""The state-code quantisers: calibration, LSQ's gradient scale, precision changes, and no saturation after
training (the learned clip of an earlier version collapsed to 99 % of entries at the INT4 bounds)."""

import dataclasses
import itertools
import math

import pytest
import torch

from advfrontier.mpib.config import SMOKE
from advfrontier.mpib.data import speaker_folds
from advfrontier.mpib.evaluate import _codes, state_code_health
from advfrontier.mpib.heads import QUANTISERS, QuantStateHead
from advfrontier.mpib.paper import load_corpus
from advfrontier.mpib.train import fit, grl_lambda


def test_maxabs_observer_calibrates_each_channel_to_its_range():
    torch.manual_seed(0)
    head = QuantStateHead(5, 3, bits=4, quant_weights=False, quantiser="maxabs").train()
    e = torch.randn(64, 5)
    z = head.lin(e).detach()
    head(e)  # the first batch sets the range
    assert torch.allclose(head.code_scale(), z.abs().amax(0) / 7)
    head(2 * e)  # later batches move it by the EMA
    assert torch.allclose(head.code_scale(), (0.9 * z.abs().amax(0) + 0.1 * (2 * e @ head.lin.weight.T
                          + head.lin.bias).abs().amax(0)) / 7, atol=1e-5)  # fmt: skip
    head.eval()
    before = head.code_scale().clone()
    head(10 * e)  # evaluation never moves the calibration
    assert torch.equal(head.code_scale(), before)


def test_lsq_step_gets_the_scaled_gradient_and_keeps_its_range_across_widths():
    torch.manual_seed(0)
    head = QuantStateHead(5, 3, bits=8, quant_weights=False, quantiser="lsq").train()
    e = torch.randn(32, 5)
    head(e)
    z = head.lin(e).detach()
    assert torch.allclose(head.step.detach(), 2 * z.abs().mean(0) / math.sqrt(127))
    head.step.grad = None
    head(e).sum().backward()
    r = z / head.step.detach()
    raw = torch.where(r < -128, -128.0, torch.where(r > 127, 127.0, torch.round(r) - r)).sum(0)
    assert torch.allclose(head.step.grad, raw / math.sqrt(32 * 127), atol=1e-5)
    clip = head.step.detach() * 127
    head.bits = 4
    assert torch.allclose(head.step.detach() * 7, clip)


@pytest.mark.parametrize("quantiser", QUANTISERS)
def test_a_trained_state_head_does_not_saturate(quantiser):
    cfg = dataclasses.replace(SMOKE, quantiser=quantiser, epochs=4)
    fold = speaker_folds(load_corpus(cfg), cfg.folds, 0, cfg.data_seed)
    torch.manual_seed(0)
    model = fit(cfg, "mpib", fold.train, seed=0)
    _, zs, _ = _codes(model, fold.test)
    health = state_code_health(model, zs)
    assert health["state_sat"] < 50.0, f"{quantiser}: {health['state_sat']:.1f} % of entries at the bounds"
    assert health["state_codes"] > 0.5 * len(fold.test)  # clips keep distinct codes


def test_grl_schedule_rises_from_zero_to_lambda_max():
    vals = [grl_lambda(p / 10, 0.3, 10.0) for p in range(11)]
    assert vals[0] == 0.0 and all(a < b for a, b in itertools.pairwise(vals))
    assert 0.29 < vals[-1] <= 0.3
