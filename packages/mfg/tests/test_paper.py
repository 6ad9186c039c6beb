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
    with pytest.raises(ValueError, match="optimizer"):
        MFGConfig(optimizer="sgdm")
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
    assert PAPER_SCALE.time_iters == 0  # the paper-width timing is the training itself
    assert cfg.steps == 100 and cfg.r == 1200 and cfg.layers == 6 and cfg.width is None
    torch.manual_seed(0)
    metrics = run(cfg, 0)
    keys = ("adv_d1/re1", "adv_d12/ctrl_re", "fixed_d1/rc", "sq_d1/mean_re", "scaling/time_exponent")
    for key in (*keys, "scaling/re1_dmin", "scaling/re1_dmax", "adv_d12/re1_half"):
        assert key in metrics and math.isfinite(metrics[key])


def test_ratio_claim_judges_the_ratio_of_means_not_the_mean_of_ratios() -> None:
    from advfrontier.mfg.claims import RatioAtMost

    claim = RatioAtMost("growth", high="h", low="l", ratio=2.0)
    # one tiny denominator: per-seed ratios 10, 1.5, 1.5, ... (mean 2.7 > 2), ratio of means 1.55 ≤ 2
    seeds = [{"l": 0.001, "h": 0.01}] + [{"l": 0.02 + 1e-4 * i, "h": 0.03} for i in range(9)]
    mean_of_ratios = sum(m["h"] / m["l"] for m in seeds) / len(seeds)
    ratio_of_means = sum(m["h"] for m in seeds) / sum(m["l"] for m in seeds)
    assert mean_of_ratios > 2.0 > ratio_of_means
    assert claim.check(seeds).verdict == "held"
    worse = [{"l": m["l"], "h": 3 * m["h"]} for m in seeds]  # ratio of means 4.6 > 2
    assert claim.check(worse).verdict == "contradicted"


def test_real_config_is_the_paper_benchmark_and_runs_a_few_steps() -> None:
    from advfrontier.mfg.config import REAL

    assert PAPER.configs["real"] is REAL and REAL.seeds >= 3 and max(REAL.dims) == 1000
    assert REAL.layers == PAPER_SCALE.layers and REAL.batch_div == PAPER_SCALE.batch_div
    cfg = replace(REAL, dims=(1, 30), compare_dim=1, iters=3, particles=1000, n_test=40, time_iters=1)
    torch.manual_seed(0)
    metrics = run(cfg, 0)
    assert metrics["adv_d30/sec_per_iter_pw"] > 0 and math.isfinite(metrics["scaling/time_exponent"])
    assert all(math.isfinite(metrics[f"adv_d{d}/re1"]) for d in (1, 30))
