"""Paper scale: UNet score = −∇E, loaders read the real layouts or fail clearly, two steps run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from advfrontier.diffusion_reward.config import PAPER_SCALE
from advfrontier.diffusion_reward.paper import run
from advfrontier.diffusion_reward.real_data import load_demos, windows
from advfrontier.diffusion_reward.unet import UNetEnergy
from advfrontier.shared.data.errors import DataNotFoundError


def write_npz(root: Path, name: str, lengths: list[int], obs_dim: int = 9, act_dim: int = 4) -> Path:
    rng = np.random.default_rng(0)
    n, t = len(lengths), max(lengths)
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    obs = rng.normal(size=(n, t, obs_dim)).astype(np.float32)
    act = rng.normal(size=(n, t, act_dim)).astype(np.float32)
    np.savez(path, obs=obs, actions=act, lengths=np.asarray(lengths))
    return path


def test_paper_config_carries_the_released_hyperparameters() -> None:
    c = PAPER_SCALE
    assert (c.sigma_min, c.sigma_max, c.gamma, c.ode_steps, c.n_refs) == (0.01, 10.0, 1e-3, 20, 16)
    assert (c.lr, c.weight_decay, c.batch_size, c.steps, c.warmup, c.grad_clip, c.ema_decay) == (
        1e-4,
        1e-6,
        256,
        100_000,
        500,
        1.0,
        0.9999,
    )
    assert (c.obs_horizon, c.pred_horizon, c.down_dims, c.kernel_size) == (2, 16, (64, 128, 256), 5)
    assert not c.precondition and c.device == "cuda"


def test_unet_score_is_minus_energy_gradient() -> None:
    torch.manual_seed(0)
    model = (
        UNetEnergy(5, 3, obs_horizon=2, dims=(16, 32), kernel=3).double().eval()
    )  # eval: no power iteration
    a, s, t = torch.randn(2, 8, 3).double(), torch.randn(2, 2, 5).double(), torch.rand(2).double()
    score = model.score(a, s, t)
    h, idx = 1e-6, (1, 5, 2)
    e = torch.zeros_like(a)
    e[idx] = h
    fd = (model.energy(a + e, s, t) - model.energy(a - e, s, t))[1] / (2 * h)
    assert float(score[idx]) == pytest.approx(-float(fd), rel=1e-4)
    assert float(score[0].abs().sum()) > 0 and torch.allclose(score[0], model.score(a[:1], s[:1], t[:1])[0])


def test_npz_round_trip_and_windows(tmp_path: Path) -> None:
    write_npz(tmp_path, "mw/demo.npz", [6, 4])
    demos = load_demos("metaworld", str(tmp_path), "mw/demo.npz")
    assert [len(a) for a in demos.actions] == [6, 4]
    obs, act, ep = windows(demos, obs_horizon=2, pred_horizon=3)
    assert obs.shape == (10, 2, 9) and act.shape == (10, 3, 4) and ep.tolist() == [0] * 6 + [1] * 4
    np.testing.assert_array_equal(obs[0, 0], demos.obs[0][0])  # first frame repeated
    np.testing.assert_array_equal(act[5], np.stack([demos.actions[0][5]] * 3))  # last action repeated
    np.testing.assert_array_equal(act[7], demos.actions[1][1:4])


def test_missing_data_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError, match=r"robomimic demonstrations: missing .*low_dim_v141\.hdf5"):
        load_demos("robomimic", str(tmp_path), "robomimic/square/ph/low_dim_v141.hdf5")


def test_paper_config_runs_two_steps_on_tiny_files(tmp_path: Path) -> None:
    write_npz(tmp_path, "robomimic/lift.npz", [12] * 10 + [9] * 10, obs_dim=19, act_dim=7)
    cfg = replace(
        PAPER_SCALE,
        data_dir=str(tmp_path),
        data_file="robomimic/lift.npz",
        device="cpu",
        steps=2,
        batch_size=8,
    )
    m = run(cfg, 0)
    assert set(m) == {"energyflow/val_dsm", "energyflow/reward_pref", "energyflow/train_cpu_s"}
    assert 0.0 < m["energyflow/val_dsm"] < 10.0 and 0.0 <= m["energyflow/reward_pref"] <= 100.0
