"""Choose a setting of the real scale at d = 1 on criteria that need no reference solution.

The first real card (6 layers, the paper's depth) diverged at d = 1 in all 3 seeds (RE₁ 11.4, control error
6.57 in each: the control stuck at the clip bound). Candidates get the same budget (the REAL config at
d = 1, seeds 100, 101, …: not card seeds), and each run is scored without the reference:
  - cost_sim: the cost of the learned policy on 4096 fresh paths from Z_0, every agent playing it (lower is
    better: a diverging control pays for it); the rule, fixed before the runs: the lowest mean cost_sim
    over the seeds;
  - val_resid: E[(E[𝓜|X])²] on fresh states (reported beside it).
RE₁ and the control error are printed last as diagnostics; they choose nothing.
Usage: python packages/mfg/scripts/real_select.py GROUP METHOD SEED [SEED ...]
  groups: depth (layers 6 / 4), bound (the paper's clip / gradient straight through the clip)
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

import torch

from advfrontier.mfg.config import REAL
from advfrontier.mfg.metrics import evaluate, simulated_cost, validation_residual
from advfrontier.mfg.reference import LQReference
from advfrontier.mfg.solver import problem_for, train

GROUPS: dict[str, dict[str, dict[str, object]]] = {
    "depth": {"layers6": {"layers": 6}, "layers4": {"layers": 4}},
    "bound": {"clip": {"bound_grad": "clip"}, "straight": {"bound_grad": "straight"}},
}
D = 1

if __name__ == "__main__":
    torch.set_num_threads(1)
    group, method, seeds = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
    scores: dict[str, list[float]] = {}
    for name, over in GROUPS[group].items():
        for seed in seeds:
            cfg = replace(REAL, dims=(D,), compare_dim=D, **over)  # type: ignore[arg-type]
            p = problem_for(cfg, D)
            torch.manual_seed(seed)
            c = time.process_time()
            tr = train(p, cfg, method)
            cpu = time.process_time() - c
            torch.manual_seed(seed + 1_000)
            cost, val = simulated_cost(p, cfg.steps, tr), validation_residual(p, cfg.steps, tr)
            m = evaluate(p, LQReference(p), tr, cfg.steps, cfg.n_test)
            scores.setdefault(name, []).append(cost)
            print(
                f"{method} {name} seed {seed}: cost_sim {cost:.5g} val_resid {val:.3g} | diagnostics: "
                f"RE1 {m['re1']:.3g} control error {m['ctrl_re']:.3g}, {cpu:.0f} CPU-s",
                flush=True,
            )
    means = {k: sum(v) / len(v) for k, v in scores.items()}
    print(f"{method} {group}: mean cost_sim {means}; chosen {min(means, key=means.get)}", flush=True)
