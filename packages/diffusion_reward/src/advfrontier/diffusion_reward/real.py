"""Real scale: a multi-step control task (gymnasium Pendulum-v1, discount 0.99), the paper's test of a reward.

One seed: train an expert with SB3 SAC on the true reward, record its (stochastic, max-entropy)
demonstrations, fit EnergyFlow (and the vector-score diffusion policy and BC) on them, run AIRL
(``imitation``'s, SAC generator) on the same demonstrations, then train a fresh SB3 SAC policy, same budget
and seed, on each reward — the true one (``oracle``), EnergyFlow's centred reward r̃, its raw energy −E, and
AIRL's reward — and score every policy by its return under the true reward. Returns are normalised:
100·(R − R_random)/(R_expert − R_random).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch
from stable_baselines3 import SAC
from stable_baselines3.common.vec_env import VecEnv

from advfrontier.diffusion_reward.baselines import bc_loss
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
from advfrontier.diffusion_reward.nets import GaussianPolicy
from advfrontier.diffusion_reward.optim import fit
from advfrontier.diffusion_reward.sb3_progress import ProgressLines
from advfrontier.diffusion_reward.schedule import VESchedule
from advfrontier.diffusion_reward.selection import BestOnValidation
from advfrontier.shared.engine import capped

Act = Callable[[np.ndarray], np.ndarray]
"""A batched policy: observations (N, obs_dim) → actions (N, action_dim)."""
RewardFn = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""A batched reward: (observations (N, obs_dim), actions (N, action_dim)) → (N,)."""


@dataclass(frozen=True)
class Demos:
    """Expert demonstrations in the npz layout of ``real_data.py``: (episodes, T, ·) arrays."""

    obs: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    next_obs: np.ndarray

    def flat(self) -> tuple[np.ndarray, np.ndarray]:
        return self.obs.reshape(-1, self.obs.shape[-1]), self.actions.reshape(-1, self.actions.shape[-1])

    def save(self, path: Path) -> None:
        """D4RL/Minari-like fields (terminals all 0; every episode ends in a time-out)."""
        n, t = self.rewards.shape
        timeouts = np.zeros((n, t), dtype=bool)
        timeouts[:, -1] = True
        np.savez_compressed(
            path,
            obs=self.obs,
            actions=self.actions,
            rewards=self.rewards,
            next_obs=self.next_obs,
            terminals=np.zeros((n, t), dtype=bool),
            timeouts=timeouts,
            lengths=np.full(n, t),
        )


class LearnedReward(gym.Wrapper):
    """Replaces the environment's reward by ``fn(s, a)`` (the true one stays in ``info["true_reward"]``)."""

    def __init__(self, env: gym.Env, fn: RewardFn):
        super().__init__(env)
        self.fn = fn
        self._obs: np.ndarray | None = None

    def reset(self, **kwargs: object) -> tuple[np.ndarray, dict]:
        obs, info = self.env.reset(**kwargs)
        self._obs = obs
        return obs, info

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict]:
        a = np.clip(np.asarray(action, dtype=np.float32), self.action_space.low, self.action_space.high)
        obs, r, term, trunc, info = self.env.step(a)
        info["true_reward"] = r
        r_hat = float(self.fn(self._obs[None].astype(np.float32), a[None])[0])
        self._obs = obs
        return obs, r_hat, term, trunc, info


def sac(env: gym.Env | VecEnv, cfg: DiffusionRewardConfig, seed: int) -> SAC:
    return SAC(
        "MlpPolicy",
        env,
        learning_rate=cfg.sac_lr,
        buffer_size=max(cfg.sac_steps, cfg.expert_steps),
        learning_starts=min(1000, cfg.sac_steps // 4),
        policy_kwargs={"net_arch": list(cfg.sac_net)},
        seed=seed,
        device="cpu",
        verbose=0,
    )


def train_sac(cfg: DiffusionRewardConfig, seed: int, steps: int, reward: RewardFn | None = None) -> SAC:
    """A fresh SB3 SAC policy trained ``steps`` environment steps on ``reward`` (None: the true reward)."""
    env = gym.make(cfg.env_id, max_episode_steps=cfg.episode_steps)
    if reward is not None:
        env = LearnedReward(env, reward)
    model = sac(env, cfg, seed)
    n = capped(steps)  # --max-steps (environment steps: SAC's gradient steps are fewer)
    model.learn(n, callback=ProgressLines(n, f"SAC {cfg.env_id} seed {seed}"))
    return model


def rollout_returns(env_id: str, act: Act, starts: list[int], episode_steps: int | None = None) -> np.ndarray:
    """True-reward returns of a batched policy, one episode per start seed, all episodes in lockstep."""
    envs = [gym.make(env_id, max_episode_steps=episode_steps) for _ in starts]
    obs = np.stack([e.reset(seed=s)[0] for e, s in zip(envs, starts, strict=True)]).astype(np.float32)
    ret, done = np.zeros(len(envs)), np.zeros(len(envs), dtype=bool)
    low, high = envs[0].action_space.low, envs[0].action_space.high
    while not done.all():
        a = np.clip(np.asarray(act(obs), dtype=np.float32), low, high)
        for i, e in enumerate(envs):
            if done[i]:
                continue
            o, r, term, trunc, _ = e.step(a[i])
            ret[i] += r
            obs[i] = o
            done[i] = term or trunc
    return ret


def record_demos(env_id: str, act: Act, starts: list[int], episode_steps: int | None = None) -> Demos:
    """Episodes of a batched (stochastic) policy from the given start seeds (fixed-length episodes)."""
    envs = [gym.make(env_id, max_episode_steps=episode_steps) for _ in starts]
    obs = np.stack([e.reset(seed=s)[0] for e, s in zip(envs, starts, strict=True)]).astype(np.float32)
    low, high = envs[0].action_space.low, envs[0].action_space.high
    o_l, a_l, r_l, n_l = [], [], [], []
    done = False
    while not done:
        a = np.clip(np.asarray(act(obs), dtype=np.float32), low, high)
        steps = [e.step(a[i]) for i, e in enumerate(envs)]
        nxt = np.stack([s[0] for s in steps]).astype(np.float32)
        o_l.append(obs.copy())
        a_l.append(a)
        r_l.append(np.array([s[1] for s in steps], dtype=np.float32))
        n_l.append(nxt)
        done = any(s[2] or s[3] for s in steps)
        obs = nxt
    return Demos(*(np.stack(x, axis=1) for x in (o_l, a_l, r_l, n_l)))


class Standardiser:
    """Per-dimension standardisation fitted on the demonstrations."""

    def __init__(self, x: torch.Tensor):
        self.mean, self.std = x.mean(0), x.std(0).clamp_min(1e-6)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std

    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        return z * self.std + self.mean


def _timed(m: dict[str, float], name: str, fn: Callable[[], object]) -> object:
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    m[f"{name}/train_cpu_s"] = time.process_time() - c0
    m[f"{name}/train_wall_s"] = time.perf_counter() - w0
    return out


def preference(fn: RewardFn, s: np.ndarray, a: np.ndarray, a_other: np.ndarray) -> float:
    """% of states where the reward prefers the expert's action ``a`` to ``a_other`` (the mechanism check)."""
    return 100.0 * float((fn(s, a) > fn(s, a_other)).mean())


def standardised(fn: RewardFn, s: np.ndarray, a: np.ndarray) -> RewardFn:
    """fn rescaled to zero mean, unit std on the demonstrations (same affine map for every learned reward;
    a constant shift does not change the optimal policy of a task without termination)."""
    r = fn(s, a)
    mu, sd = float(r.mean()), float(r.std()) + 1e-8
    return lambda s_, a_: (fn(s_, a_) - mu) / sd


def airl_reward(cfg: DiffusionRewardConfig, seed: int, demos: Demos) -> tuple[RewardFn, Act]:
    """imitation's AIRL (SAC generator, ``cfg.sac_steps`` generator steps) → its unshaped reward g(s, a)."""
    from imitation.algorithms.adversarial.airl import AIRL
    from imitation.data.types import Trajectory
    from imitation.rewards.reward_nets import BasicShapedRewardNet
    from imitation.util import logger as imit_logger
    from imitation.util.networks import RunningNorm
    from stable_baselines3.common.vec_env import DummyVecEnv

    trajs = [
        Trajectory(
            obs=np.concatenate([demos.obs[i], demos.next_obs[i, -1:]]),
            acts=demos.actions[i],
            infos=None,
            terminal=False,
        )
        for i in range(len(demos.obs))
    ]
    venv = DummyVecEnv([lambda: gym.make(cfg.env_id, max_episode_steps=cfg.episode_steps)])
    venv.seed(seed)
    torch.manual_seed(seed)
    gen = sac(venv, cfg, seed)
    net = BasicShapedRewardNet(venv.observation_space, venv.action_space, normalize_input_layer=RunningNorm)
    trainer = AIRL(
        demonstrations=trajs,
        demo_batch_size=cfg.batch_size,
        gen_replay_buffer_capacity=cfg.airl_round_steps,
        n_disc_updates_per_round=cfg.airl_disc_updates,
        venv=venv,
        gen_algo=gen,
        reward_net=net,
        gen_train_timesteps=cfg.airl_round_steps,
        custom_logger=imit_logger.configure(format_strs=[]),
    )
    trainer.train(max(capped(cfg.sac_steps), cfg.airl_round_steps))  # --max-steps: at least one round
    base = trainer.reward_test
    base.eval()

    def reward(s: np.ndarray, a: np.ndarray) -> np.ndarray:
        return base.predict_processed(s, a, s, np.zeros(len(s), dtype=bool))

    return reward, lambda obs: gen.predict(obs, deterministic=True)[0]


def run_real(cfg: DiffusionRewardConfig, seed: int) -> dict[str, float]:
    torch.manual_seed(seed)
    m: dict[str, float] = {}
    probe = gym.make(cfg.env_id, max_episode_steps=cfg.episode_steps)
    obs_dim, act_dim = probe.observation_space.shape[0], probe.action_space.shape[0]
    low, high = probe.action_space.low, probe.action_space.high

    expert = _timed(m, "expert", lambda: train_sac(cfg, seed, cfg.expert_steps))
    demo_starts = [100_000 * (seed + 1) + i for i in range(cfg.demo_episodes)]
    demos = record_demos(
        cfg.env_id, lambda o: expert.predict(o, deterministic=False)[0], demo_starts, cfg.episode_steps
    )
    if cfg.work_dir is not None:
        Path(cfg.work_dir).mkdir(parents=True, exist_ok=True)
        demos.save(Path(cfg.work_dir) / f"{cfg.env_id}-demos-seed{seed}.npz")
    s_np, a_np = demos.flat()
    s_demo, a_demo = torch.from_numpy(s_np), torch.from_numpy(a_np)
    ns, na = Standardiser(s_demo), Standardiser(a_demo)
    zs, za = ns(s_demo), na(a_demo)
    sched = VESchedule(cfg.sigma_min, cfg.sigma_max, cfg.time_horizon)
    gen = torch.Generator().manual_seed(seed)
    n = len(zs)

    def dsm_at(model: EnergyModel | ScoreModel) -> Callable[[int], torch.Tensor]:
        def loss(step: int) -> torch.Tensor:
            i = torch.randint(0, n, (cfg.batch_size,), generator=gen)
            t = torch.rand(len(i), generator=gen) * sched.T
            eps = torch.randn(len(i), act_dim, generator=gen)
            return dsm_loss(model.score, sched, zs[i], za[i], t, eps)

        return loss

    opt = dict(lr=cfg.lr, weight_decay=cfg.weight_decay, warmup=cfg.warmup, clip=cfg.grad_clip)
    ebm = EnergyModel(sched, act_dim, obs_dim, cfg.hidden, cfg.depth, cfg.precondition)
    vsm = ScoreModel(sched, act_dim, obs_dim, cfg.hidden, cfg.depth, cfg.precondition)
    bc = GaussianPolicy(obs_dim, act_dim, cfg.hidden, cfg.depth)
    refs = reference_actions(cfg.n_refs, (act_dim,), seed=0)

    def torch_reward(f: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> RewardFn:
        return lambda s, a: f(ns(torch.from_numpy(s)), na(torch.from_numpy(a))).numpy()

    centred = torch_reward(lambda s, a: centred_reward(ebm.energy, s, a, refs, cfg.gamma))

    def bc_at(step: int) -> torch.Tensor:
        i = torch.randint(0, n, (cfg.batch_size,), generator=gen)
        return bc_loss(bc, zs[i], za[i])

    select: dict[str, BestOnValidation] = {}
    if cfg.val_every:
        # validation: expert episodes from their own starts; each model keeps its best checkpoint on them
        val = record_demos(
            cfg.env_id,
            lambda o: expert.predict(o, deterministic=False)[0],
            [400_000 * (seed + 1) + i for i in range(cfg.val_episodes)],
            cfg.episode_steps,
        )
        vs, va = val.flat()
        vzs, vza = ns(torch.from_numpy(vs)), na(torch.from_numpy(va))
        vrand = np.random.default_rng(seed + 7).uniform(low, high, va.shape).astype(np.float32)
        g_val = torch.Generator().manual_seed(10_000 + seed)
        vt, veps = (
            torch.rand(len(vzs), generator=g_val) * sched.T,
            torch.randn(len(vzs), act_dim, generator=g_val),
        )

        scores: dict[str, tuple[torch.nn.Module, Callable[[], float]]] = {
            "energyflow": (ebm, lambda: preference(centred, vs, va, vrand)),
            "diffusion": (vsm, lambda: -float(dsm_loss(vsm.score, sched, vzs, vza, vt, veps))),
            "bc": (bc, lambda: -float(bc_loss(bc, vzs, vza))),
        }
        select = {k: BestOnValidation(mod, f, cfg.val_every, cfg.steps) for k, (mod, f) in scores.items()}

    for name, model, loss_at in (
        ("energyflow", ebm, dsm_at(ebm)),
        ("diffusion", vsm, dsm_at(vsm)),
        ("bc", bc, bc_at),
    ):
        on_step = select.get(name)
        _timed(
            m,
            name,
            lambda mod=model, f=loss_at, cb=on_step: fit(mod.parameters(), f, cfg.steps, on_step=cb, **opt),
        )
        if on_step is not None:
            m[f"{name}/best_step"], m[f"{name}/val_score"] = on_step.restore()
    airl_fn, airl_policy = _timed(m, "airl", lambda: airl_reward(cfg, seed, demos))

    learned: dict[str, RewardFn] = {
        "energyflow_centred": centred,
        "energyflow_raw": torch_reward(lambda s, a: raw_reward(ebm.energy, s, a, cfg.gamma)),
        "airl": airl_fn,
    }
    # mechanism: on held-out expert states, does each reward prefer the expert's action to a uniform one?
    held_starts = [300_000 * (seed + 1) + i for i in range(4)]
    held = record_demos(
        cfg.env_id, lambda o: expert.predict(o, deterministic=False)[0], held_starts, cfg.episode_steps
    )
    hs, ha = held.flat()
    rand_a = np.random.default_rng(seed).uniform(low, high, size=ha.shape).astype(np.float32)
    for name, fn in learned.items():
        m[f"{name}/reward_pref"] = preference(fn, hs, ha, rand_a)

    def ode_policy(model: EnergyModel | ScoreModel) -> Act:
        def act(obs: np.ndarray) -> np.ndarray:
            s = ns(torch.from_numpy(obs))
            init = torch.randn(len(s), act_dim, generator=gen) * sched.sigma_max
            return na.inverse(sample_ode(model.score, sched, s, init, cfg.ode_steps, cfg.gamma)).numpy()

        return act

    rng = np.random.default_rng(seed)
    policies: dict[str, Act] = {
        "expert": lambda o: expert.predict(o, deterministic=True)[0],
        "random": lambda o: rng.uniform(low, high, size=(len(o), act_dim)),
        "energyflow": ode_policy(ebm),
        "diffusion": ode_policy(vsm),
        "bc": lambda o: na.inverse(bc.dist(ns(torch.from_numpy(o))).sample()).detach().numpy(),
        "airl": airl_policy,
    }
    starts = [200_000 * (seed + 1) + i for i in range(cfg.eval_episodes)]
    raw_ret = {
        k: float(rollout_returns(cfg.env_id, p, starts, cfg.episode_steps).mean())
        for k, p in policies.items()
    }
    lo, hi = raw_ret["random"], raw_ret["expert"]

    def norm(r: float) -> float:
        return 100.0 * (r - lo) / (hi - lo)

    for k in ("energyflow", "diffusion", "bc", "airl"):
        m[f"{k}/policy_return"] = norm(raw_ret[k])
    m["expert/raw_return"], m["random/raw_return"] = hi, lo
    m["expert/demo_return"] = float(demos.rewards.sum(1).mean())

    rewards: dict[str, RewardFn | None] = {"oracle": None}
    rewards.update({k: standardised(fn, s_np, a_np) for k, fn in learned.items()})
    for name, fn in rewards.items():
        model = train_sac(cfg, seed, cfg.sac_steps, fn)
        r = rollout_returns(
            cfg.env_id, lambda o, model=model: model.predict(o, deterministic=True)[0], starts
        )
        m[f"{name}/reward_return"] = norm(float(r.mean()))
    return m
