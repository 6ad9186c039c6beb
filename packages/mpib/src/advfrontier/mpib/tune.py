"""Validation sweeps behind the mini config's choices (validation speakers only, never the test fold).

``python -m advfrontier.mpib.tune [--only m1,m2] [seeds]`` trains on each seed's training speakers,
evaluates on its validation speakers and prints one JSON line per setting: the state quantiser of
MP-IB, the final reversal strength λ_max of GRL, and β of the β-VAE. Rule: the quantiser with the
highest mean validation ρ; for GRL and the β-VAE the strongest setting whose mean validation ρ is
within 0.1 of FP32's.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from statistics import mean

import torch

from advfrontier.mpib.config import MINI, MpibConfig
from advfrontier.mpib.heads import QUANTISERS
from advfrontier.mpib.paper import run

GRL_LAMBDAS: tuple[float, ...] = (0.01, 0.03, 0.1, 0.3)
BETAS: tuple[float, ...] = (0.001, 0.01, 0.1)


def sweep(
    base: MpibConfig, seeds: tuple[int, ...], only: tuple[str, ...] = ("fp32", "mpib", "grl", "beta_vae")
) -> list[dict[str, object]]:
    """One row per setting of the methods in ``only``: mean validation ρ and state-code EER over ``seeds``."""
    settings: list[tuple[str, dict[str, object]]] = [("fp32", {})]
    settings += [("mpib", {"quantiser": q}) for q in QUANTISERS]
    settings += [("grl", {"lambda_adv": lam}) for lam in GRL_LAMBDAS]
    settings += [("beta_vae", {"beta": b}) for b in BETAS]
    rows = []
    for method, change in [(m, c) for m, c in settings if m in only]:
        cfg = dataclasses.replace(base, methods=(method,), eval_split="val", latency_reps=1, **change)
        per = [run(cfg, s) for s in seeds]
        row = {
            "method": method,
            **change,
            "val_rho": mean(m[f"{method}/rho"] for m in per),
            "val_eer": mean(m[f"{method}/eer"] for m in per),
        }
        if method == "mpib":
            row["val_state_sat"] = mean(m["mpib/state_sat"] for m in per)
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


if __name__ == "__main__":
    torch.set_num_threads(1)
    args = sys.argv[1:]
    only: tuple[str, ...] = ("fp32", "mpib", "grl", "beta_vae")
    if args[:1] == ["--only"]:
        only, args = tuple(args[1].split(",")), args[2:]
    sweep(MINI, tuple(int(s) for s in args) or (0, 1), only)
