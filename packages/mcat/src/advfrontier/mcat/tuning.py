"""Validation tuning with the same budget for every tuned method (three candidates each, seed 0).

MCAT's λ_man ∈ {0.1, 0.01, 0.001} (the appendix's 0.1 and two tenfold cuts: d is an unnormalised
squared distance whose scale depends on the feature width, and the appendix names "λ_geom 0.01 in
implementation"), TRADES's β ∈ {1, 3, 6}, the released code's ETF weight β_g ∈ {1, 0.1, 0.01}. PGD-AT and
AT-BSL have nothing to tune. Each candidate is trained at every imbalance ratio of the config on the
long-tailed training split and scored on the balanced validation split (never the test split) by
(balanced clean + balanced PGD-20)/2, averaged over the ratios.
Run: ``python -m advfrontier.mcat.tuning --out tuning.json``; the real scale's choice:
``python -m advfrontier.mcat.tuning --scale real --ratios 10 --out tuning_real.json`` (ρ 10 only, to fit
the hour; the same budget for every tuned method).

A first stage (``--stage lr``) chooses the learning rate shared by every method: PGD-AT, the objective every
other method adds a term to, trained at each candidate for several training seeds and every ratio, scored
the same way. Several seeds because a collapse to a constant predictor (loss ln 10) strikes single seeds:
a candidate that collapses on one seed loses about 40 points of score there, so the mean counts it.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any

import torch

from advfrontier.mcat.config import MINI, REAL, McatConfig

CANDIDATES: dict[str, tuple[str, tuple[float, ...]]] = {
    "mcat": ("mcat_lambda", (0.1, 0.01, 0.001)),
    "trades": ("trades_beta", (1.0, 3.0, 6.0)),
    "mcat_code": ("released_beta", (1.0, 0.1, 0.01)),
}
"""Per tuned method: the config field and its candidates (the same number for every method)."""

LR_CANDIDATES: tuple[float, ...] = (0.05, 0.01)
"""Shared learning rates: the mini's 0.05 and TRADES's MNIST recipe (SGD lr 0.01, momentum 0.9)."""


def trial(
    cfg: McatConfig, method: str, field: str, value: float, ratio: float, seed: int = 0
) -> dict[str, Any]:
    """Train ``method`` with ``field = value`` at ``ratio``; its validation metrics and score."""
    from advfrontier.mcat.paper import row, run_ratio

    torch.set_num_threads(cfg.threads)
    cfg = replace(cfg, autoattack=False, **{field: value})  # AutoAttack does not enter the score
    res = run_ratio(cfg, seed, ratio, (method,), on="val")
    key = row(method, ratio)
    out: dict[str, Any] = {"method": method, "field": field, "value": value, "ratio": ratio, "seed": seed}
    out.update({k.split("/", 1)[1]: v for k, v in res.items() if "_ep" not in k and "_g" not in k})
    out["score"] = (res[f"{key}/bal_clean_acc"] + res[f"{key}/bal_pgd{cfg.eval_pgd_steps}_acc"]) / 2
    return out


def select(
    rows: list[dict[str, Any]], candidates: dict[str, tuple[str, tuple[float, ...]]] = CANDIDATES
) -> dict[str, Any]:
    """Per method the candidate with the best score averaged over the ratios (and seeds)."""
    chosen: dict[str, Any] = {}
    for method, (field, values) in candidates.items():
        means = {}
        for v in values:
            s = [r["score"] for r in rows if r["method"] == method and r["value"] == v]
            if s:
                means[v] = sum(s) / len(s)
        if means:
            best = max(means, key=lambda v: means[v])
            chosen[method] = {field: best, "score": means[best], "scores": means}
    return chosen


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default="tuning.json")
    ap.add_argument("--methods", nargs="+", default=list(CANDIDATES), help="a subset (a partial probe)")
    ap.add_argument("--ratios", nargs="+", type=float, default=None, help="a subset of the config's ratios")
    ap.add_argument("--scale", choices=("mini", "real"), default="mini", help="the config tuned")
    ap.add_argument("--stage", choices=("lr", "methods"), default="methods", help="shared lr, or per method")
    ap.add_argument("--seeds", type=int, default=3, help="training seeds of the lr stage")
    ap.add_argument("--lr", type=float, default=None, help="lr of the methods stage")
    args = ap.parse_args(argv)
    cfg = MINI if args.scale == "mini" else REAL
    if args.lr is not None:
        cfg = replace(cfg, lr=args.lr)
    ratios = args.ratios or cfg.imbalance_ratios
    if args.stage == "lr":
        candidates = {"pgd_at": ("lr", LR_CANDIDATES)}
        seeds = range(args.seeds)
        jobs = [(cfg, "pgd_at", "lr", v, r, s) for r in ratios for v in LR_CANDIDATES for s in seeds]
    else:
        candidates = {m: c for m, c in CANDIDATES.items() if m in args.methods}
        jobs = [(cfg, m, f, v, r, 0) for r in ratios for m, (f, vs) in candidates.items() for v in vs]
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(trial, *zip(*jobs, strict=True)))
    report = {
        "rule": __doc__, "scale": args.scale, "stage": args.stage, "lr": cfg.lr,
        "rows": rows, "chosen": select(rows, candidates),
    }  # fmt: skip
    print(json.dumps(report["chosen"], indent=1))
    with open(args.out, "w") as fh:
        json.dump(report, fh, indent=1)


if __name__ == "__main__":
    main()
