"""Policy evaluation alone: the policy and the mean field held at the reference, the value network trained.

Separates the value solver from policy iteration. States come from the reference equilibrium (the chain
driven by u* and m̄*, the measure that the particles approximate at the equilibrium), the control is u*,
and v_θ is trained by one of the estimators below with the solver's own loss functions. Printed per
variant: value RE₁ at checkpoints, the reference-free validation criterion E[(E[𝓜|X])²] on fresh states
(unbiased, from two independent noise draws), and the error of the implied control −∇v_θ (what policy
improvement would follow), split into its part along 1_d and the transverse gradient |∇v_⊥| (reference 0).

Variants (all with the paper's learning-rate rule δ0·(1e-3, 1e-2)·0.01^{i/I}, δ0 = 3 d^{-1/2}, J = 2
descents and K = 1 ascent per iteration, minibatches of 410 = 4096/10 as at mini):
  init           the initial network, untrained (for scale)
  adv-sim        adversarial, the ascent taken on the first descent's estimate (the former solver)
  adv            adversarial, the ascent as its own step after the J descents (the paper's algorithm)
  adv-anti       adv with antithetic noise ±ζ in the residual
  adv-adam-anti  adv-anti with Adam instead of RMSprop
  adv-arith      adv with the notes' frequencies Λ_i = 1 + (i − 1)c instead of linspace(1, c, r)
  adv-anti-arith both
  adv-r1200      adv with the paper's r = 1200 test functions (mini: 128)
  fixed          random test functions never trained
  sq             squared residual E[𝓜²] (one noise sample, biased by Var[v(Φ)|X] ≈ σ²h|∇v|²)
  sq-anti        squared residual with antithetic noise (bias reduced to O(h²))

Usage: python packages/mfg/scripts/fixed_policy.py [d ...] [variant ...]   (≈ 40 s of CPU per variant)
The log of the run behind the README table is packages/mfg/scripts/fixed_policy.log.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import replace

import torch

from advfrontier.mfg.config import MINI
from advfrontier.mfg.data import test_points
from advfrontier.mfg.losses import g1g2, mean_residual_power
from advfrontier.mfg.metrics import relative_errors
from advfrontier.mfg.networks import TestFunctions, ValueNet
from advfrontier.mfg.particles import times
from advfrontier.mfg.reference import LQReference
from advfrontier.mfg.solver import (
    Batch,
    ascent_step,
    batch_residual,
    evaluation_loss,
    make_optimizer,
    problem_for,
)

VARIANTS: dict[str, tuple[str, str, bool, str]] = {
    # name: (method, ascent, antithetic, optimizer); names ending in -arith: Λ_i = 1 + (i − 1)c
    "init": ("adv", "none", False, "rmsprop"),  # no training: the initial network, for scale
    "adv-sim": ("adv", "sim", False, "rmsprop"),
    "adv": ("adv", "sep", False, "rmsprop"),
    "adv-anti": ("adv", "sep", True, "rmsprop"),
    "adv-adam-anti": ("adv", "sep", True, "adam"),
    "adv-arith": ("adv", "sep", False, "rmsprop"),
    "adv-anti-arith": ("adv", "sep", True, "rmsprop"),
    "adv-r1200": ("adv", "sep", False, "rmsprop"),
    "fixed": ("fixed", "none", False, "rmsprop"),
    "sq": ("sq", "none", False, "rmsprop"),
    "sq-anti": ("sq", "none", True, "rmsprop"),
}
CHECKPOINTS = (100, 200, 400, 800, 1600)


def run(d: int, variant: str, seed: int = 0, batch: int = 410, iters: int = 1600) -> dict[str, float]:
    method, ascent, anti, opt_name = VARIANTS[variant]
    iters = 0 if variant == "init" else iters
    torch.manual_seed(seed)
    cfg = replace(MINI, dims=(d,), compare_dim=d, r=1200 if variant.endswith("-r1200") else MINI.r)
    p, steps = problem_for(cfg, d), cfg.steps
    ref = LQReference(p)
    n, z = test_points(p, ref, steps, 20000, seed=5)  # training states
    nv, zv = test_points(p, ref, steps, 4000, seed=7)  # fresh validation states
    nt, zt = test_points(p, ref, steps, 1000)  # the metrics' fixed test points
    means = ref.mean(torch.arange(steps + 1) * p.T / steps).float()
    u, uv = ref.control(times(n, p, steps), z), ref.control(times(nv, p, steps), zv)
    layout = "arith" if variant.endswith("-arith") else "linspace"
    value, rho = ValueNet(d, cfg.width_for(d), cfg.layers), TestFunctions(d, cfg.r, cfg.c_scale, layout)
    d0 = cfg.lr0 / math.sqrt(d)
    opt_v = make_optimizer(opt_name, value.parameters(), d0 * cfg.lr_v)
    opt_r = make_optimizer(opt_name, rho.parameters(), d0 * cfg.lr_rho)
    base = [(o, o.param_groups[0]["lr"]) for o in (opt_v, opt_r)]
    tt = times(nt, p, steps)
    v_ref = ref.value(tt, zt).double()
    out: dict[str, float] = {}

    def draw() -> tuple[Batch, Batch, torch.Tensor, torch.Tensor]:
        perm = torch.randperm(len(n))
        i1, i2 = perm[:batch], perm[batch : 2 * batch]
        return (n[i1], z[i1]), (n[i2], z[i2]), u[i1], u[i2]

    start = time.process_time()
    for i in range(iters):
        for o, lr in base:
            o.param_groups[0]["lr"] = lr * cfg.lr_decay ** (i / iters)
        for j in range(cfg.descent):
            b1, b2, u1, u2 = draw()
            opt_v.zero_grad(set_to_none=True)
            opt_r.zero_grad(set_to_none=True)
            if ascent == "sim":  # the former solver: η ascends on the same estimate as θ's first descent
                r1 = batch_residual(p, steps, b1, means, value, u1)
                r2 = batch_residual(p, steps, b2, means, value, u2)
                t1, t2 = times(b1[0], p, steps)[:, None], times(b2[0], p, steps)[:, None]
                g1g2(rho(t1, b1[1]), r1, rho(t2, b2[1]), r2).backward()
                opt_v.step()
                if j < cfg.ascent:
                    for q in rho.parameters():
                        q.grad.neg_()
                    opt_r.step()
            else:
                evaluation_loss(p, steps, method, b1, b2, means, value, rho, u1, u2, anti).backward()
                opt_v.step()
        if ascent == "sep":
            for _ in range(cfg.ascent):
                b1, b2, u1, u2 = draw()
                ascent_step(p, steps, b1, b2, means, value, rho, opt_r, u1, u2, anti)
        if i + 1 in CHECKPOINTS:
            with torch.no_grad():
                out[f"re1@{i + 1}"] = relative_errors(value(tt[:, None], zt).double(), v_ref)[0]
    out["cpu_s"] = time.process_time() - start
    with torch.no_grad():
        out["re1@end"] = relative_errors(value(tt[:, None], zt).double(), v_ref)[0]
    with torch.no_grad():
        ra = batch_residual(p, steps, (nv, zv), means, value, uv, antithetic=True)
        rb = batch_residual(p, steps, (nv, zv), means, value, uv, antithetic=True)
        out["val_resid"] = float(mean_residual_power(ra, rb))
    zq = zt.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(value(tt[:, None], zq).sum(), zq)
    u_ref = ref.control(tt, zt)
    e = torch.ones(d) / math.sqrt(d)
    g_par, u_par = (grad @ e)[:, None] * e, (u_ref @ e)[:, None] * e
    out["ctrl_re"] = float((-grad - u_ref).norm() / u_ref.norm())
    out["ctrl_par_re"] = float((-g_par - u_par).norm() / u_par.norm())
    out["grad_perp"] = float((grad - g_par).norm(dim=1).mean())
    return out


def main(dims: list[int], variants: list[str]) -> None:
    torch.set_num_threads(1)
    cols = [f"re1@{c}" for c in CHECKPOINTS] + [
        "re1@end",
        "val_resid",
        "ctrl_re",
        "ctrl_par_re",
        "grad_perp",
        "cpu_s",
    ]
    print("| d | variant | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 2) + "|")
    for d in dims:
        for variant in variants:
            out = run(d, variant)
            cells = [f"{out.get(c, float('nan')):.3g}" for c in cols]
            print(f"| {d} | {variant} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        [int(a) for a in args if a.isdigit()] or [10], [a for a in args if not a.isdigit()] or list(VARIANTS)
    )
