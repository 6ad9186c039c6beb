"""Diagnosis behind the README: policy evaluation alone, with the policy and mean held at the reference.

Trains v_θ at d = 10 by the adversarial weak form (G1ᵀG2) or by the squared residual E[𝓜²] for 1200 steps
and prints RE₁/RE∞ of v and the error of the implied control −∇v, split along 1_d and across it.
Usage: python packages/mfg/scripts/transverse_gradient.py adv|sq   (about 30 s of CPU)
"""

from __future__ import annotations

import math
import sys
from dataclasses import replace

import torch

from advfrontier.mfg.config import MINI
from advfrontier.mfg.data import test_points
from advfrontier.mfg.losses import g1g2, residual, squared_residual
from advfrontier.mfg.metrics import relative_errors
from advfrontier.mfg.networks import TestFunctions, ValueNet
from advfrontier.mfg.particles import times
from advfrontier.mfg.reference import LQReference
from advfrontier.mfg.solver import problem_for


def main(method: str, d: int = 10, batch: int = 512, r: int = 128, iters: int = 1200) -> None:
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cfg = replace(MINI, dims=(d,), compare_dim=d)
    p, steps = problem_for(cfg, d), cfg.steps
    ref = LQReference(p)
    n, z = test_points(p, ref, steps, 20000, seed=5)
    nt, zt = test_points(p, ref, steps, 1000)
    means = ref.mean(torch.arange(steps + 1) * p.T / steps).float()
    u = ref.control(times(n, p, steps), z)
    v, rho = ValueNet(d, 64, 4), TestFunctions(d, r, 10.0)
    ov = torch.optim.RMSprop(v.parameters(), lr=3e-3 / math.sqrt(d))
    orr = torch.optim.RMSprop(rho.parameters(), lr=3e-2 / math.sqrt(d))

    def res(i: torch.Tensor) -> torch.Tensor:
        reset = p.sample_initial(len(i))
        return residual(p, steps, n[i], z[i], means, u[i], v, torch.randn_like(z[i]), reset)

    for _ in range(iters):
        perm = torch.randperm(len(n))
        i1, i2 = perm[:batch], perm[batch : 2 * batch]
        ov.zero_grad()
        orr.zero_grad()
        if method == "sq":
            loss = squared_residual(res(i1))
        else:
            t1, t2 = times(n[i1], p, steps)[:, None], times(n[i2], p, steps)[:, None]
            loss = g1g2(rho(t1, z[i1]), res(i1), rho(t2, z[i2]), res(i2))
        loss.backward()
        ov.step()
        if method == "adv":
            for q in rho.parameters():
                q.grad.neg_()
            orr.step()
    tt = times(nt, p, steps)
    with torch.no_grad():
        print("RE1, REinf of v:", relative_errors(v(tt[:, None], zt).double(), ref.value(tt, zt).double()))
    zq = zt.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(v(tt[:, None], zq).sum(), zq)
    u_ref = ref.control(tt, zt)
    e = torch.ones(d) / math.sqrt(d)
    g_par = (grad @ e)[:, None] * e
    u_par = (u_ref @ e)[:, None] * e
    print("control −∇v/c2 relative error:", float((-grad - u_ref).norm() / u_ref.norm()))
    print("  along 1_d:", float((-g_par - u_par).norm() / u_par.norm()))
    print("  transverse |∇v| (reference: 0):", float((grad - g_par).norm(dim=1).mean()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "adv")
