"""Configs validate, metrics vanish at the reference, the paper config runs two iterations on CPU."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import torch
from torch import nn

from advfrontier.mfg.config import PAPER_SCALE, MFGConfig
from advfrontier.mfg.metrics import evaluate, relative_errors
from advfrontier.mfg.paper import PAPER, run
from advfrontier.mfg.particles import Particles
from advfrontier.mfg.reference import LQReference
from advfrontier.mfg.solver import Trained, problem_for


def test_config_checks() -> None:
    with pytest.raises(ValueError, match="compare_dim"):
        MFGConfig(dims=(2, 10), compare_dim=3)
    with pytest.raises(ValueError, match="baseline"):
        MFGConfig(baselines=("pgd",))
    with pytest.raises(ValueError, match="ascent"):
        MFGConfig(descent=1, ascent=2)
    assert PAPER_SCALE.width_for(1) == 104 and PAPER_SCALE.width_for(1000) == 1008
    assert PAPER.configs["paper"].device == "cuda"


def test_relative_errors() -> None:
    ref = torch.tensor([1.0, -2.0, 4.0])
    re1, reinf = relative_errors(ref + torch.tensor([0.1, 0.0, -0.6]), ref)
    assert math.isclose(re1, 0.7 / 7, rel_tol=1e-6) and math.isclose(reinf, 0.6 / 4, rel_tol=1e-6)


class _Ref(nn.Module):
    def __init__(self, fn) -> None:
        super().__init__()
        self.fn, self.dummy = fn, nn.Parameter(torch.zeros(()))

    def forward(self, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return self.fn(t[:, 0].double(), z.double()).float()


def test_metrics_vanish_for_the_reference_itself() -> None:
    cfg = MFGConfig(dims=(5,), compare_dim=5)
    p = problem_for(cfg, 5)
    ref = LQReference(p)
    torch.manual_seed(0)
    parts = Particles(p, cfg.steps, 21 * 400, shift=0.0)
    grid = torch.arange(cfg.steps + 1) * (p.T / cfg.steps)
    parts.sums = (ref.mean(grid.double()) * 400).double()  # particle means set to m̄*
    parts.counts = torch.full((cfg.steps + 1,), 400.0, dtype=torch.float64)
    trained = Trained(_Ref(ref.value), _Ref(ref.control), parts, 0.0)  # type: ignore[arg-type]
    out = evaluate(p, ref, trained, cfg.steps, 200)
    for k in ("re1", "reinf", "rc", "ctrl_re", "mean_re"):
        assert out[k] < 1e-5, (k, out[k])


def test_paper_config_runs_two_iterations_on_cpu() -> None:
    cfg = replace(PAPER_SCALE, device="cpu", dims=(1, 12), compare_dim=1, iters=2, particles=2000, n_test=50)
    assert cfg.steps == 100 and cfg.r == 1200 and cfg.layers == 6 and cfg.width is None
    torch.manual_seed(0)
    metrics = run(cfg, 0)
    for key in ("adv_d1/re1", "adv_d12/ctrl_re", "fixed_d1/rc", "sq_d1/mean_re", "scaling/time_exponent"):
        assert key in metrics and math.isfinite(metrics[key])
