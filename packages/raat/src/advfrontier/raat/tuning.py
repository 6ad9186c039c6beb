"""Validation tuning with the same budget for every tuned method, and the ε at which RAAT's mechanism acts.

Each tuned method gets two candidates, trained once (seed 0) on the training split and scored on the
validation split (never the test split) by (clean + PGD-20)/2:
RAAT's r ∈ {0.1, 0.5} (the paper's sweep {0.1, 0.5, 1.0} without r = 1, where x + r·δ = x_adv and the
reduced intensity does nothing), TRADES's β ∈ {1, 6} and MART's β ∈ {1, 6} (the values of their papers).
A RAAT candidate qualifies only when its boundary set Bd is ≥ 10 % of the examples in the last training
epoch (the mechanism acts). ε is the smallest of a grid at which some RAAT candidate qualifies.
RAAT++ takes RAAT's r and MART's β (no budget of its own); PGD-AT and standard training have nothing
to tune. Run: ``python -m advfrontier.raat.tuning --eps 0.15 0.2 --out tuning.json``.

Real scale (``--real``; MNIST, ε = 0.3 fixed by the classic threat model): first the clean warm start
W ∈ {0, 1} epochs, shared by every method, by PGD-AT's validation score; then RAAT's r ∈ {0.1, 0.5} at that
W under the same Bd rule (``--stage warm``). ``--stage methods`` gives every tuned method its two candidates
at the config's W (RAAT's r, TRADES's and MART's β), scored with the config's evaluation step, so the
baselines get the budget RAAT got.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from fractions import Fraction
from typing import Any

import torch

from advfrontier.raat.config import MINI, REAL, RaatConfig
from advfrontier.raat.data import load_data
from advfrontier.raat.models import make_model
from advfrontier.raat.partition import PartitionLog
from advfrontier.shared.threat import linf
from advfrontier.shared.train import evaluate_robustness, fit

CANDIDATES: dict[str, tuple[str, tuple[float, ...]]] = {
    "raat": ("r", (0.1, 0.5)),
    "trades": ("trades_beta", (1.0, 6.0)),
    "mart": ("mart_beta", (1.0, 6.0)),
}
"""Per tuned method: the config field and its candidates (the same number for every method)."""
MIN_BD_SHARE = 10.0
"""A RAAT candidate qualifies when Bd is at least this share (%) of the last epoch's examples."""


def at_eps(cfg: RaatConfig, eps: str) -> RaatConfig:
    """``cfg`` at L∞ ε = ``eps`` with attack steps of ε/4."""
    return replace(cfg, threat_model=linf(eps), step_size=str(Fraction(eps) / 4))


def trial(cfg: RaatConfig, method: str, field: str, value: float, seed: int = 0) -> dict[str, Any]:
    """Train ``method`` with ``field = value`` on the training split; score it on the validation split."""
    from advfrontier.raat.paper import initial_state, objective

    torch.set_num_threads(cfg.threads)
    cfg = replace(cfg, **{field: value})
    data, _ = load_data(cfg)
    log = PartitionLog() if method == "raat" else None
    start = initial_state(cfg, data.train, seed)
    torch.manual_seed(seed)
    model = make_model(cfg.model, cfg.dataset).to(cfg.device)
    model.load_state_dict(start)
    fit(
        model, data.train, objective(method, cfg, log), cfg.train, seed, desc=f"tune {method}",
        on_epoch_end=None if log is None else log.end_epoch,
    )  # fmt: skip
    val = data.val if cfg.eval_size is None else data.val.subset(range(min(cfg.eval_size, len(data.val))))
    res = evaluate_robustness(
        model, val, cfg.threat_model, cfg.eval_pgd_steps, cfg.eval_cw_steps, step_size=cfg.eval_step
    )
    row: dict[str, Any] = {"eps": str(cfg.threat_model), "method": method, "field": field, "value": value}
    row.update(res)
    row["score"] = (res["clean_acc"] + res[f"pgd{cfg.eval_pgd_steps}_acc"]) / 2
    if log is not None:
        row["bd_share_final"] = log.metrics()["bd_share_final"]
        row["bd_share_per_epoch"] = [e["bd"] for e in log.epochs]
    return row


def mechanism_acts(rows: list[dict[str, Any]]) -> bool:
    """Some RAAT candidate's Bd is at least ``MIN_BD_SHARE`` of its last epoch's examples."""
    return any(r["bd_share_final"] >= MIN_BD_SHARE for r in rows if r["method"] == "raat")


def select(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per method the best-scoring candidate (RAAT: among those whose Bd share qualifies)."""
    chosen: dict[str, Any] = {}
    for method, (field, _) in CANDIDATES.items():
        mine = [r for r in rows if r["method"] == method]
        if method == "raat":
            ok = [r for r in mine if r["bd_share_final"] >= MIN_BD_SHARE]
            mine = ok or sorted(mine, key=lambda r: -r["bd_share_final"])[:1]
        if mine:
            best = max(mine, key=lambda r: r["score"])
            chosen[method] = {field: best["value"], "score": best["score"]}
    return chosen


WARM_CANDIDATES: tuple[int, ...] = (0, 1)
"""Clean warm-start epochs tried at the real scale (PGD-AT scores them)."""


def tune_real_methods(jobs: int, out: str) -> dict[str, Any]:
    """Two candidates for every tuned method at REAL's warm start, one score rule; writes ``out``."""
    trials = [(REAL, m, f, v) for m, (f, vs) in CANDIDATES.items() for v in vs]
    with ProcessPoolExecutor(jobs) as pool:
        rows = list(pool.map(trial, *zip(*trials, strict=True)))
    report: dict[str, Any] = {"rule": __doc__, "scale": "real", "stage": "methods"}
    report["eval_step"] = REAL.eval_step
    report.update(rows=rows, chosen=select(rows))
    report["mechanism_acts"] = mechanism_acts(rows)
    print(json.dumps(report["chosen"], indent=1), flush=True)
    with open(out, "w") as fh:
        json.dump(report, fh, indent=1)
    return report


def tune_real(jobs: int, out: str) -> dict[str, Any]:
    """The real scale's two phases (module docstring); writes the report to ``out`` after each."""
    report: dict[str, Any] = {"rule": __doc__, "scale": "real"}
    with ProcessPoolExecutor(jobs) as pool:
        warm_rows = list(
            pool.map(
                trial, *zip(*[(REAL, "pgd_at", "warm_start_epochs", w) for w in WARM_CANDIDATES], strict=True)
            )
        )
        warm = int(max(warm_rows, key=lambda r: r["score"])["value"])
        report.update(warm_rows=warm_rows, warm_start_epochs=warm)
        print(json.dumps(report["warm_rows"], indent=1), flush=True)
        with open(out, "w") as fh:
            json.dump(report, fh, indent=1)
        cfg = replace(REAL, warm_start_epochs=warm)
        field, values = CANDIDATES["raat"]
        rows = list(pool.map(trial, *zip(*[(cfg, "raat", field, v) for v in values], strict=True)))
    report.update(rows=rows, chosen=select(rows))
    report["mechanism_acts"] = mechanism_acts(rows)
    print(json.dumps(rows, indent=1), flush=True)
    with open(out, "w") as fh:
        json.dump(report, fh, indent=1)
    return report


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eps", nargs="+", default=["0.15"], help="ε grid, smallest first")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default="tuning.json")
    ap.add_argument("--real", action="store_true", help="tune the real scale (--stage warm or methods)")
    ap.add_argument("--stage", choices=("warm", "methods"), default="warm", help="real scale only")
    args = ap.parse_args(argv)
    if args.real:
        (tune_real if args.stage == "warm" else tune_real_methods)(args.jobs, args.out)
        return
    report: dict[str, Any] = {"rule": __doc__, "by_eps": {}}
    for eps in args.eps:
        cfg = at_eps(MINI, eps)
        jobs = [(cfg, m, f, v) for m, (f, vs) in CANDIDATES.items() for v in vs]
        with ProcessPoolExecutor(args.jobs) as pool:
            rows = list(pool.map(trial, *zip(*jobs, strict=True)))
        chosen = select(rows)
        acts = mechanism_acts(rows)
        report["by_eps"][eps] = {"rows": rows, "chosen": chosen, "mechanism_acts": acts}
        print(json.dumps(report["by_eps"][eps], indent=1), flush=True)
        with open(args.out, "w") as fh:
            json.dump(report, fh, indent=1)
        if acts:
            report["eps"] = eps
            break
    with open(args.out, "w") as fh:
        json.dump(report, fh, indent=1)


if __name__ == "__main__":
    main()
