"""One seed of the miniature: train every method on the same demos, then score rewards and policies.

Rows: energyflow (policy), energyflow_raw / energyflow_centred (its reward −E and r̃), diffusion (vector score,
policy only), airl (reward f and its generator), bc (log π_BC as reward, and its policy), oracle (planner on
the true reward), expert, random. Returns are normalised: 100·(R − R_random)/(R_expert − R_random).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch

from advfrontier.diffusion_reward import task as T
from advfrontier.diffusion_reward.baselines import airl_discriminator_loss, airl_generator_loss, bc_loss
from advfrontier.diffusion_reward.config import DiffusionRewardConfig
from advfrontier.diffusion_reward.energyflow import (
    EnergyModel,
    ScoreModel,
    centred_reward,
    dsm_loss,
    raw_reward,
    reference_actions,
    sample_ode,
)
from advfrontier.diffusion_reward.metrics import pooled_pearson, within_state_spearman
from advfrontier.diffusion_reward.nets import Discriminator, GaussianPolicy
from advfrontier.diffusion_reward.optim import fit
from advfrontier.diffusion_reward.planner import cem_plan
from advfrontier.diffusion_reward.schedule import VESchedule
from advfrontier.shared.engine import capped

Fn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


class Standardiser:
    """Per-dimension standardisation fitted on the demonstrations (the networks see standardised inputs)."""

    def __init__(self, x: torch.Tensor):
        self.mean, self.std = x.mean(0), x.std(0).clamp_min(1e-6)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std

    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        return z * self.std + self.mean


def _timed(m: dict[str, float], name: str, fn: Callable[[], object]) -> None:
    """Run ``fn`` and record its CPU and wall seconds as ``name/train_cpu_s`` and ``name/train_wall_s``."""
    c0, w0 = time.process_time(), time.perf_counter()
    fn()
    m[f"{name}/train_cpu_s"] = time.process_time() - c0
    m[f"{name}/train_wall_s"] = time.perf_counter() - w0


def _eval_set(cfg: DiffusionRewardConfig, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Held-out states from fresh expert rollouts and, per state, tempered-expert plus uniform actions."""
    states, _ = T.expert_demos(cfg.task, max(1, cfg.eval_states // cfg.task.horizon + 1), gen)
    states = states[torch.randperm(len(states), generator=gen)[: cfg.eval_states]]
    half = cfg.eval_actions // 2
    near = torch.stack([T.sample_expert(cfg.task, states, gen, temperature=3.0) for _ in range(half)], dim=1)
    box = 0.75 * cfg.task.action_box
    far = (torch.rand(len(states), half, 2, generator=gen) * 2 - 1) * box
    return states, torch.cat([near, far], dim=1)


def run_miniature(cfg: DiffusionRewardConfig, seed: int) -> dict[str, float]:
    task = cfg.task
    gen = torch.Generator().manual_seed(seed)
    s_demo, a_demo = T.expert_demos(task, cfg.demo_episodes, gen)
    ev_s, ev_a = _eval_set(cfg, torch.Generator().manual_seed(10_000 + seed))
    starts = T.start_states(cfg.eval_episodes, torch.Generator().manual_seed(20_000 + seed))
    ns, na = Standardiser(s_demo), Standardiser(a_demo)
    zs, za = ns(s_demo), na(a_demo)
    sched = VESchedule(cfg.sigma_min, cfg.sigma_max, cfg.time_horizon)
    n = len(zs)

    def batch(step: int) -> torch.Tensor:
        return torch.randint(0, n, (cfg.batch_size,), generator=gen)

    def dsm_at(model: EnergyModel | ScoreModel) -> Callable[[int], torch.Tensor]:
        def loss(step: int) -> torch.Tensor:
            i = batch(step)
            t = torch.rand(len(i), generator=gen) * sched.T
            eps = torch.randn(len(i), 2, generator=gen)
            return dsm_loss(model.score, sched, zs[i], za[i], t, eps)

        return loss

    opt = dict(lr=cfg.lr, weight_decay=cfg.weight_decay, warmup=cfg.warmup, clip=cfg.grad_clip)
    m: dict[str, float] = {}

    ebm = EnergyModel(sched, 2, 2, cfg.hidden, cfg.depth, cfg.precondition)
    _timed(m, "energyflow", lambda: fit(ebm.parameters(), dsm_at(ebm), cfg.steps, **opt))
    vsm = ScoreModel(sched, 2, 2, cfg.hidden, cfg.depth, cfg.precondition)
    _timed(m, "diffusion", lambda: fit(vsm.parameters(), dsm_at(vsm), cfg.steps, **opt))

    bc = GaussianPolicy(2, 2, cfg.hidden, cfg.depth)

    def bc_at(step: int) -> torch.Tensor:
        i = batch(step)
        return bc_loss(bc, zs[i], za[i])

    _timed(m, "bc", lambda: fit(bc.parameters(), bc_at, cfg.steps, **opt))

    disc, gpol = Discriminator(2, 2, cfg.hidden, cfg.depth), GaussianPolicy(2, 2, cfg.hidden, cfg.depth)
    d_opt = torch.optim.AdamW(disc.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    g_opt = torch.optim.AdamW(gpol.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)

    def train_airl() -> None:
        for step in range(capped(cfg.airl_iters)):  # --max-steps
            i, j = batch(step), batch(step)
            with torch.no_grad():
                a_g = gpol.dist(zs[j]).sample()
            d_loss = airl_discriminator_loss(disc, gpol, zs[i], za[i], zs[j], a_g)
            d_opt.zero_grad(set_to_none=True)
            d_loss.backward()
            torch.nn.utils.clip_grad_norm_(disc.parameters(), cfg.grad_clip)
            d_opt.step()
            g_loss = airl_generator_loss(disc, gpol, zs[j])
            g_opt.zero_grad(set_to_none=True)
            g_loss.backward()
            torch.nn.utils.clip_grad_norm_(gpol.parameters(), cfg.grad_clip)
            g_opt.step()

    _timed(m, "airl", train_airl)

    refs = reference_actions(cfg.n_refs, (2,), seed=0)
    rewards: dict[str, Fn] = {
        "energyflow_raw": lambda s, a: raw_reward(ebm.energy, ns(s), na(a), cfg.gamma),
        "energyflow_centred": lambda s, a: centred_reward(ebm.energy, ns(s), na(a), refs, cfg.gamma),
        "airl": lambda s, a: disc(ns(s), na(a)).detach(),
        "bc": lambda s, a: bc.log_prob(ns(s), na(a)).detach(),
    }
    flat_s = ev_s[:, None, :].expand_as(ev_a).reshape(-1, 2)
    q_true = T.q_star(task, ev_s[:, None, :].double(), ev_a.double())
    adv_true = T.soft_advantage(task, ev_s, ev_a)
    for name, fn in rewards.items():
        pred = fn(flat_s, ev_a.reshape(-1, 2)).view(ev_a.shape[:2])
        m[f"{name}/spearman"] = within_state_spearman(pred, q_true)
        m[f"{name}/pearson_adv"] = pooled_pearson(pred, adv_true)

    def ode_policy(model: EnergyModel | ScoreModel) -> Fn:
        def act(s: torch.Tensor) -> torch.Tensor:
            init = torch.randn(len(s), 2, generator=gen) * sched.sigma_max
            return na.inverse(sample_ode(model.score, sched, ns(s), init, cfg.ode_steps, cfg.gamma))

        return act

    policies: dict[str, Fn] = {
        "expert": lambda s: T.sample_expert(task, s, gen),
        "random": lambda s: (torch.rand(len(s), 2, generator=gen) * 2 - 1) * task.action_box / 2,
        "energyflow": ode_policy(ebm),
        "diffusion": ode_policy(vsm),
        "bc": lambda s: na.inverse(bc.dist(ns(s)).sample()),
        "airl": lambda s: na.inverse(gpol.dist(ns(s)).sample()),
    }
    raw_ret = {name: float(T.rollout(task, pol, starts)) for name, pol in policies.items()}
    lo, hi = raw_ret["random"], raw_ret["expert"]

    def norm(r: float) -> float:
        return 100.0 * (r - lo) / (hi - lo)

    best = T.max_q(task, ev_s)
    for name, pol in policies.items():
        if name != "random":
            m[f"{name}/policy_return"] = norm(raw_ret[name])
        a = pol(ev_s).detach().clamp(-task.action_box, task.action_box)
        m[f"{name}/q_gap"] = float((best - T.q_star(task, ev_s.double(), a.double())).mean())

    planners: dict[str, Fn] = {"oracle": lambda s, a: T.q_star(task, s, a), **rewards}
    for name, fn in planners.items():

        def plan(s: torch.Tensor, fn: Fn = fn) -> torch.Tensor:
            return cem_plan(
                fn,
                s,
                gen,
                cfg.plan_horizon,
                cfg.plan_population,
                cfg.plan_elites,
                cfg.plan_iters,
                task.action_box,
            )

        m[f"{name}/reward_return"] = norm(float(T.rollout(task, plan, starts)))
    m["expert/raw_return"] = hi
    m["random/raw_return"] = lo
    return m
