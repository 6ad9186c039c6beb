"""Real scale (Pendulum-v1): the reward wrapper, demonstrations, and a few-step run of the whole pipeline."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

from advfrontier.diffusion_reward.config import REAL
from advfrontier.diffusion_reward.paper import PAPER, run
from advfrontier.diffusion_reward.real import LearnedReward, record_demos, rollout_returns
from advfrontier.diffusion_reward.real_data import load_demos

ENV = "Pendulum-v1"


def zero(obs: np.ndarray) -> np.ndarray:
    return np.zeros((len(obs), 1), dtype=np.float32)


def test_learned_reward_replaces_the_reward_and_keeps_the_true_one() -> None:
    env = LearnedReward(gym.make(ENV), lambda s, a: 10.0 * s[:, 0] + a[:, 0])
    twin = gym.make(ENV)
    obs, _ = env.reset(seed=3)
    twin.reset(seed=3)
    for a in (0.5, -1.0, 5.0):  # 5.0 is clipped to the action bound 2.0
        nxt, r, _, _, info = env.step(np.array([a], dtype=np.float32))
        r_true = twin.step(np.array([a], dtype=np.float32))[1]
        assert info["true_reward"] == pytest.approx(r_true)
        assert r == pytest.approx(10.0 * obs[0] + min(a, 2.0), rel=1e-5)
        obs = nxt


def test_demos_are_consistent_episodes_whose_rewards_are_the_true_returns() -> None:
    demos = record_demos(ENV, zero, [1, 2])
    assert demos.obs.shape == (2, 200, 3) and demos.actions.shape == (2, 200, 1)
    np.testing.assert_allclose(demos.obs[:, 1:], demos.next_obs[:, :-1])
    np.testing.assert_allclose(demos.rewards.sum(1), rollout_returns(ENV, zero, [1, 2]), rtol=1e-5)
    assert not np.allclose(demos.obs[0], demos.obs[1])  # different starts


def test_real_config_is_multi_step_and_registered() -> None:
    assert PAPER.config("real") is REAL and REAL.seeds >= 3
    assert gym.make(REAL.env_id).spec.max_episode_steps > 1


def test_real_pipeline_runs_a_few_steps_and_writes_d4rl_like_demos(tmp_path: Path) -> None:
    cfg = replace(
        REAL,
        seeds=1,
        episode_steps=20,
        expert_steps=300,
        sac_steps=200,
        airl_round_steps=100,
        airl_disc_updates=2,
        demo_episodes=2,
        eval_episodes=2,
        steps=20,
        hidden=16,
        batch_size=32,
        sac_net=(16, 16),
        work_dir=str(tmp_path),
    )
    m = run(cfg, 0)
    for row in ("oracle", "energyflow_centred", "energyflow_raw", "airl"):
        assert math.isfinite(m[f"{row}/reward_return"])
    for row in ("energyflow", "diffusion", "bc", "airl"):
        assert math.isfinite(m[f"{row}/policy_return"])
    for row in ("energyflow", "airl"):
        assert m[f"{row}/train_wall_s"] > 0
    assert m["expert/raw_return"] != m["random/raw_return"]
    demos = load_demos("robomimic", str(tmp_path), f"{ENV}-demos-seed0.npz")
    assert len(demos.obs) == 2 and demos.obs[0].shape == (20, 3)
    with np.load(tmp_path / f"{ENV}-demos-seed0.npz") as f:
        assert {"rewards", "terminals", "timeouts", "next_obs"} <= set(f.files)
        assert f["timeouts"][:, -1].all() and not f["terminals"].any()


def test_validation_selection_keeps_the_best_checkpoint_not_the_last() -> None:
    import torch

    from advfrontier.diffusion_reward.optim import fit
    from advfrontier.diffusion_reward.selection import BestOnValidation

    torch.manual_seed(0)
    lin = torch.nn.Linear(1, 1, bias=False)
    # training pulls the weight to 3; validation prefers a weight near 1, passed on the way
    sel = BestOnValidation(lin, lambda: -abs(float(lin.weight.detach()) - 1.0), every=5, total=200)
    fit(lin.parameters(), lambda step: (lin.weight - 3.0).pow(2).sum(), 200, lr=0.05, on_step=sel)
    assert float(lin.weight.detach()) == pytest.approx(3.0, abs=0.05)
    step, score = sel.restore()
    assert 0 < step < 200 and step % 5 == 0 and score > -0.2
    assert abs(float(lin.weight.detach()) - 1.0) < 0.2 and sel.history[-1][0] == 200


def test_validation_settings_come_together() -> None:
    with pytest.raises(ValueError, match="val_every and val_episodes"):
        replace(REAL, val_every=100, val_episodes=0)
    with pytest.raises(ValueError, match="val_every and val_episodes"):
        replace(REAL, val_every=0, val_episodes=2)


def test_preference_counts_states_where_the_reward_ranks_the_expert_action_first() -> None:
    from advfrontier.diffusion_reward.real import preference

    s = np.zeros((4, 3), dtype=np.float32)
    expert = np.array([[0.0], [1.0], [-1.0], [0.5]], dtype=np.float32)
    other = np.array([[2.0], [1.5], [2.0], [0.5]], dtype=np.float32)  # the last one ties: not a preference
    near_zero = lambda s_, a: -np.abs(a[:, 0])  # noqa: E731
    assert preference(near_zero, s, expert, other) == pytest.approx(75.0)  # states 0-2, not the tie
    assert preference(lambda s_, a: a[:, 0], s, expert, other) == pytest.approx(0.0)
