"""Full deep policy iteration (the solver itself) under a few estimator/optimiser variants, one seed.

Prints value RE₁ and control error at checkpoints of the run, and the reference-free validation criterion
E[(E[𝓜|X])²] on fresh particles at the end (unbiased: two residuals of the same states with independent
noise; the one the variants may be chosen on, as it needs no reference solution).

Usage: python packages/mfg/scripts/loop_variants.py D ITERS VARIANT [VARIANT ...]
  variants: base (the paper's algorithm as in the solver), anti (antithetic noise in the residual),
  adam, adam-anti, arith (test-function frequencies Λ_i = 1 + (i − 1)c), anti-arith, sq, sq-anti
The log behind the README is packages/mfg/scripts/loop_variants.log.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import torch

from advfrontier.mfg.config import MINI
from advfrontier.mfg.metrics import evaluate, validation_residual
from advfrontier.mfg.reference import LQReference
from advfrontier.mfg.solver import Trained, problem_for, train

VARIANTS: dict[str, tuple[str, dict[str, object]]] = {
    "base": ("adv", {}),
    "anti": ("adv", {"antithetic": True}),
    "adam": ("adv", {"optimizer": "adam"}),
    "adam-anti": ("adv", {"optimizer": "adam", "antithetic": True}),
    "arith": ("adv", {"layout": "arith"}),
    "anti-arith": ("adv", {"antithetic": True, "layout": "arith"}),
    "sq": ("sq", {}),
    "sq-anti": ("sq", {"antithetic": True}),
}


def main(d: int, iters: int, variants: list[str], seed: int = 0) -> None:
    torch.set_num_threads(1)
    for name in variants:
        method, over = VARIANTS[name]
        cfg = replace(MINI, dims=(d,), compare_dim=d, iters=iters, **over)  # type: ignore[arg-type]
        p = problem_for(cfg, d)
        ref = LQReference(p)
        marks = sorted({iters // 4, iters // 2, 3 * iters // 4})
        rows: list[str] = []

        def hook(
            i: int, tr: Trained, cfg: object = cfg, p: object = p, rows: list[str] = rows,
            marks: list[int] = marks, ref: LQReference = ref,
        ) -> None:  # fmt: skip
            if i + 1 in marks:
                m = evaluate(p, ref, tr, cfg.steps, 500)  # type: ignore[arg-type,attr-defined]
                rows.append(f"{i + 1}: re1 {m['re1']:.3g} ctrl {m['ctrl_re']:.3g}")

        torch.manual_seed(seed)
        tr = train(p, cfg, method, on_iter=hook)
        m = evaluate(p, ref, tr, cfg.steps, cfg.n_test)
        rows.append(f"{iters}: re1 {m['re1']:.3g} ctrl {m['ctrl_re']:.3g} mean {m['mean_re']:.3g}")
        val = validation_residual(p, cfg.steps, tr)
        print(
            f"d={d} {name}: " + "; ".join(rows) + f"; val_resid {val:.3g}; s/iter {tr.sec_per_iter:.3g}",
            flush=True,
        )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])
