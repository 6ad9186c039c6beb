"""Deep policy iteration with adversarial test functions (the paper's algorithm), and its two ablations.

Iteration i:
  1. move a minibatch A_i of particles by Φ(·, μ_{i−1}, u_α); μ_i is the new empirical measure;
  2. policy evaluation: J descent steps on θ of G1ᵀG2 ≈ |E[ρ_η 𝓜]|² (two disjoint minibatches each),
  3. policy improvement after each evaluation step: a descent step on α of E[𝓜(X; μ_i, u_α, v_θ)];
  4. then K ascent steps on η (sup over test functions), each on its own fresh estimate G1ᵀG2.
RMSprop, learning rates δ0·(1e-3, 1e-3, 1e-2)·0.01^{i/I} with δ0 = 3 d^{-1/2}.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch

from advfrontier.mfg.config import MFGConfig
from advfrontier.mfg.losses import g1g2, improvement, residual, squared_residual
from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.networks import PolicyNet, TestFunctions, ValueNet
from advfrontier.mfg.particles import Particles, times
from advfrontier.shared.engine import budget_reached
from advfrontier.shared.progress import Progress


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


Batch = tuple[torch.Tensor, torch.Tensor]
"""(n, z): grid indices and states of a minibatch."""


def make_optimizer(name: str, params: Iterable[torch.nn.Parameter], lr: float) -> torch.optim.Optimizer:
    """The paper's RMSprop, or Adam (β = (0.9, 0.999)) or plain SGD for the diagnostics."""
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    raise ValueError(f"unknown optimizer {name!r}; expected rmsprop, adam or sgd")


def batch_residual(
    p: LQProblem, steps: int, b: Batch, means: torch.Tensor, value: ValueNet, u: torch.Tensor,
    antithetic: bool = False,
) -> torch.Tensor:  # fmt: skip
    """𝓜 on one minibatch with fresh noise ζ and fresh reset states."""
    n, z = b
    zeta = torch.randn_like(z)
    reset = p.sample_initial(len(n), device=z.device)
    return residual(p, steps, n, z, means, u, value, zeta, reset, antithetic)


def evaluation_loss(
    p: LQProblem, steps: int, method: str, b1: Batch, b2: Batch, means: torch.Tensor, value: ValueNet,
    rho: TestFunctions, u1: torch.Tensor, u2: torch.Tensor, antithetic: bool,
) -> torch.Tensor:  # fmt: skip
    """Policy-evaluation loss: G1ᵀG2 ≈ |E[ρ_η 𝓜]|² (adv, fixed) or E[𝓜²] on b1 (sq)."""
    r1 = batch_residual(p, steps, b1, means, value, u1, antithetic)
    if method == "sq":
        return squared_residual(r1)
    r2 = batch_residual(p, steps, b2, means, value, u2, antithetic)
    t1, t2 = times(b1[0], p, steps)[:, None], times(b2[0], p, steps)[:, None]
    return g1g2(rho(t1, b1[1]), r1, rho(t2, b2[1]), r2)


def ascent_step(
    p: LQProblem, steps: int, b1: Batch, b2: Batch, means: torch.Tensor, value: ValueNet,
    rho: TestFunctions, opt_r: torch.optim.Optimizer, u1: torch.Tensor, u2: torch.Tensor, antithetic: bool,
) -> None:  # fmt: skip
    """One ascent step on η of its own estimate G1ᵀG2 (v_θ held fixed): the sup over test functions."""
    with torch.no_grad():
        r1 = batch_residual(p, steps, b1, means, value, u1, antithetic)
        r2 = batch_residual(p, steps, b2, means, value, u2, antithetic)
    t1, t2 = times(b1[0], p, steps)[:, None], times(b2[0], p, steps)[:, None]
    opt_r.zero_grad(set_to_none=True)
    (-g1g2(rho(t1, b1[1]), r1, rho(t2, b2[1]), r2)).backward()
    opt_r.step()


def train(
    p: LQProblem, cfg: MFGConfig, method: str = "adv", on_iter: Callable[[int, Trained], None] | None = None
) -> Trained:
    """Deep policy iteration on problem p; ``method``: adv, fixed or sq; ``on_iter`` sees each iteration."""
    dev = torch.device(cfg.device)
    w = cfg.width_for(p.d)
    value = ValueNet(p.d, w, cfg.layers).to(dev)
    policy = PolicyNet(p.d, w, cfg.layers, cfg.bound, cfg.bound_grad).to(dev)
    rho = TestFunctions(p.d, cfg.r, cfg.c_scale, cfg.layout).to(dev)
    parts = Particles(p, cfg.steps, cfg.particles, cfg.shift, device=dev)
    d0 = cfg.lr0 / math.sqrt(p.d)
    opt_v = make_optimizer(cfg.optimizer, value.parameters(), d0 * cfg.lr_v)
    opt_u = make_optimizer(cfg.optimizer, policy.parameters(), d0 * cfg.lr_u)
    opt_r = make_optimizer(cfg.optimizer, rho.parameters(), d0 * cfg.lr_rho)
    base = [(o, o.param_groups[0]["lr"]) for o in (opt_v, opt_u, opt_r)]
    batch = cfg.particles // cfg.batch_div
    steps, anti = cfg.steps, cfg.antithetic

    def control(t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return policy(t, z)

    def draw() -> tuple[Batch, Batch, torch.Tensor, torch.Tensor]:
        perm = torch.randperm(len(parts), device=dev)
        i1, i2 = perm[:batch], perm[batch : 2 * batch]
        b1, b2 = (parts.n[i1], parts.z[i1]), (parts.n[i2], parts.z[i2])
        with torch.no_grad():
            u1 = control(times(b1[0], p, steps)[:, None], b1[1])
            u2 = control(times(b2[0], p, steps)[:, None], b2[1])
        return b1, b2, u1, u2

    clock = time.process_time if dev.type == "cpu" else time.perf_counter  # CPU time resists shared cores
    start, done = clock(), 0  # done: descent steps on θ, the unit of --max-steps
    # one line at most every 30 s; the runner seeds torch per seed, so initial_seed() names the seed
    progress = Progress(
        cfg.iters, f"mfg {method} d={p.d} seed {torch.initial_seed()}", "iteration", every=30.0
    )
    for i in range(cfg.iters):
        decay = cfg.lr_decay ** (i / cfg.iters)
        for o, lr in base:
            o.param_groups[0]["lr"] = lr * decay
        parts.move(torch.randperm(len(parts), device=dev)[:batch], control)
        means = parts.means()
        for _ in range(cfg.descent):
            b1, b2, u1, u2 = draw()
            # policy evaluation: a descent step on θ
            opt_v.zero_grad(set_to_none=True)
            evaluation_loss(p, steps, method, b1, b2, means, value, rho, u1, u2, anti).backward()
            opt_v.step()
            # policy improvement: a descent step on α, v_θ fixed
            for q in value.parameters():
                q.requires_grad_(False)
            res = batch_residual(p, steps, b1, means, value, policy(times(b1[0], p, steps)[:, None], b1[1]))
            opt_u.zero_grad(set_to_none=True)
            improvement(res).backward()
            opt_u.step()
            for q in value.parameters():
                q.requires_grad_(True)
            done += 1
            if budget_reached(done):  # --max-steps: this iteration's ascent still runs, then stop
                break
        if method == "adv":  # K ascent steps on η after the J descents, each on its own estimate
            for _ in range(cfg.ascent):
                b1, b2, u1, u2 = draw()
                ascent_step(p, steps, b1, b2, means, value, rho, opt_r, u1, u2, anti)
        if on_iter is not None:
            on_iter(i, Trained(value, policy, parts, float("nan")))
        progress.step()
        if budget_reached(done):
            break
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)
    sec = (clock() - start) / (i + 1)
    return Trained(value, policy, parts, sec)
