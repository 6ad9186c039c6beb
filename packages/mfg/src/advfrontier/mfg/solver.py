"""Deep policy iteration with adversarial test functions (the paper's algorithm), and its two ablations.

Iteration i:
  1. move a minibatch A_i of particles by Φ(·, μ_{i−1}, u_α); μ_i is the new empirical measure;
  2. policy evaluation: J descent steps on θ of G1ᵀG2 ≈ |E[ρ_η 𝓜]|² (two disjoint minibatches), the first K
     of them also ascent steps on η (sup over test functions);
  3. policy improvement after each evaluation step: a descent step on α of E[𝓜(X; μ_i, u_α, v_θ)].
RMSprop, learning rates δ0·(1e-3, 1e-3, 1e-2)·0.01^{i/I} with δ0 = 3 d^{-1/2}.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from advfrontier.mfg.config import MFGConfig
from advfrontier.mfg.losses import g1g2, improvement, residual, squared_residual
from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.networks import PolicyNet, TestFunctions, ValueNet
from advfrontier.mfg.particles import Particles, times


@dataclass
class Trained:
    value: ValueNet
    policy: PolicyNet
    particles: Particles
    sec_per_iter: float
    """Seconds per iteration: process (CPU) time on a CPU device, synchronised wall time on CUDA."""


def problem_for(cfg: MFGConfig, d: int) -> LQProblem:
    """The LQ problem of the config at dimension d."""
    return LQProblem(
        d=d, T=cfg.T, c0=cfg.c0, c1=cfg.c1, c3=cfg.c3, c4=cfg.c4, c5=cfg.c5, sigma=cfg.sigma,
        target=cfg.target, m0=cfg.m0, spread=cfg.spread,
    )  # fmt: skip


def _batch_residual(
    p: LQProblem, cfg: MFGConfig, parts: Particles, idx: torch.Tensor, means: torch.Tensor,
    value: ValueNet, u: torch.Tensor,
) -> torch.Tensor:  # fmt: skip
    n, z = parts.n[idx], parts.z[idx]
    zeta = torch.randn_like(z)
    reset = p.sample_initial(len(idx), device=z.device)
    return residual(p, cfg.steps, n, z, means, u, value, zeta, reset)


def train(
    p: LQProblem, cfg: MFGConfig, method: str = "adv", on_iter: Callable[[int, Trained], None] | None = None
) -> Trained:
    """Deep policy iteration on problem p; ``method``: adv, fixed or sq; ``on_iter`` sees each iteration."""
    dev = torch.device(cfg.device)
    w = cfg.width_for(p.d)
    value = ValueNet(p.d, w, cfg.layers).to(dev)
    policy = PolicyNet(p.d, w, cfg.layers, cfg.bound).to(dev)
    rho = TestFunctions(p.d, cfg.r, cfg.c_scale).to(dev)
    parts = Particles(p, cfg.steps, cfg.particles, cfg.shift, device=dev)
    d0 = cfg.lr0 / math.sqrt(p.d)
    opt_v = torch.optim.RMSprop(value.parameters(), lr=d0 * cfg.lr_v)
    opt_u = torch.optim.RMSprop(policy.parameters(), lr=d0 * cfg.lr_u)
    opt_r = torch.optim.RMSprop(rho.parameters(), lr=d0 * cfg.lr_rho)
    base = [(o, o.param_groups[0]["lr"]) for o in (opt_v, opt_u, opt_r)]
    batch = cfg.particles // cfg.batch_div
    steps = cfg.steps

    def control(t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return policy(t, z)

    clock = time.process_time if dev.type == "cpu" else time.perf_counter  # CPU time resists shared cores
    start = clock()
    for i in range(cfg.iters):
        decay = cfg.lr_decay ** (i / cfg.iters)
        for o, lr in base:
            o.param_groups[0]["lr"] = lr * decay
        parts.move(torch.randperm(len(parts), device=dev)[:batch], control)
        means = parts.means()
        for j in range(cfg.descent):
            perm = torch.randperm(len(parts), device=dev)
            i1, i2 = perm[:batch], perm[batch : 2 * batch]
            # policy evaluation (θ; η by ascent on the first K steps)
            with torch.no_grad():
                u1 = control(times(parts.n[i1], p, steps)[:, None], parts.z[i1])
                u2 = control(times(parts.n[i2], p, steps)[:, None], parts.z[i2])
            r1 = _batch_residual(p, cfg, parts, i1, means, value, u1)
            opt_v.zero_grad(set_to_none=True)
            opt_r.zero_grad(set_to_none=True)
            if method == "sq":
                loss = squared_residual(r1)
            else:
                r2 = _batch_residual(p, cfg, parts, i2, means, value, u2)
                x1 = (times(parts.n[i1], p, steps)[:, None], parts.z[i1])
                x2 = (times(parts.n[i2], p, steps)[:, None], parts.z[i2])
                loss = g1g2(rho(*x1), r1, rho(*x2), r2)
            loss.backward()
            opt_v.step()
            if method == "adv" and j < cfg.ascent:
                for q in rho.parameters():
                    q.grad.neg_()  # ascent on η: sup_η of the same estimate
                opt_r.step()
            # policy improvement (α), v_θ fixed
            t1, z1 = times(parts.n[i1], p, steps)[:, None], parts.z[i1]
            for q in value.parameters():
                q.requires_grad_(False)
            res = _batch_residual(p, cfg, parts, i1, means, value, policy(t1, z1))
            opt_u.zero_grad(set_to_none=True)
            improvement(res).backward()
            opt_u.step()
            for q in value.parameters():
                q.requires_grad_(True)
        if on_iter is not None:
            on_iter(i, Trained(value, policy, parts, float("nan")))
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)
    sec = (clock() - start) / cfg.iters
    return Trained(value, policy, parts, sec)
