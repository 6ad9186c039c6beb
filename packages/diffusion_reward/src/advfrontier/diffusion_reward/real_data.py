"""Paper-scale demonstrations from a local directory: RoboMimic (hdf5 or npz) and Meta-World (npz).

Layouts (relative to data_dir, file named by config.data_file):
  * RoboMimic hdf5 (needs h5py): ``data/demo_<i>/obs/<key>`` (T, k) for the low-dim keys below and
    ``data/demo_<i>/actions`` (T, action_dim), as in the RoboMimic v1.4.1 ``low_dim_v141.hdf5`` files.
  * npz (RoboMimic converted, or Meta-World as the released code's collector writes it): arrays
    ``obs`` (episodes, T, obs_dim) float, ``actions`` (episodes, T, action_dim) float, optional ``lengths``
    (episodes,) int giving each episode's valid length.
Windows: observations s_{t−h+1..t} (first frame repeated), actions a_{t..t+H−1} (last repeated).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from advfrontier.shared.data.errors import DataNotFoundError, require, resolve_data_dir

ROBOMIMIC_KEYS: tuple[str, ...] = ("object", "robot0_eef_pos", "robot0_eef_quat", "robot0_gripper_qpos")
SOURCES = {
    "robomimic": "https://robomimic.github.io/docs/datasets/robomimic_v0.1.html (low_dim_v141.hdf5 per task)",
    "metaworld": "scripted-policy rollouts of Meta-World v2 tasks (pip install metaworld) in the npz layout",
}


@dataclass(frozen=True)
class Demos:
    """Episodes as lists of (T_i, obs_dim) and (T_i, action_dim) float32 arrays."""

    obs: list[np.ndarray]
    actions: list[np.ndarray]


def _read_npz(path: Path) -> Demos:
    with np.load(path) as f:
        for key in ("obs", "actions"):
            if key not in f:
                raise ValueError(f"{path}: npz needs arrays 'obs' and 'actions' (missing {key!r})")
        obs, act = f["obs"], f["actions"]
        lengths = f["lengths"] if "lengths" in f else np.full(len(obs), obs.shape[1])
    return Demos(
        [obs[i, : int(n)].astype(np.float32) for i, n in enumerate(lengths)],
        [act[i, : int(n)].astype(np.float32) for i, n in enumerate(lengths)],
    )


def _read_hdf5(path: Path, keys: tuple[str, ...]) -> Demos:
    try:
        import h5py
    except ImportError as err:
        raise DataNotFoundError(
            f"{path} is RoboMimic hdf5 but h5py is not installed: install h5py or convert the "
            "file to the npz layout described in advfrontier.diffusion_reward.real_data"
        ) from err
    obs, act = [], []
    with h5py.File(path, "r") as f:
        for name in sorted(f["data"].keys(), key=lambda k: int(k.split("_")[1])):
            demo = f["data"][name]
            o = np.concatenate([demo["obs"][k][:] for k in keys], axis=-1).astype(np.float32)
            a = demo["actions"][:].astype(np.float32)
            n = min(len(o), len(a))
            obs.append(o[:n])
            act.append(a[:n])
    return Demos(obs, act)


def load_demos(dataset: str, data_dir: str | None, data_file: str) -> Demos:
    """Read the demonstrations, raising DataNotFoundError naming the file, its source and its place."""
    root = resolve_data_dir(data_dir, f"diffusion_reward ({dataset})")
    path = require(
        root / data_file, f"{dataset} demonstrations", SOURCES[dataset], f"it is {root / data_file}"
    )
    if path.suffix == ".npz":
        return _read_npz(path)
    if path.suffix in (".hdf5", ".h5"):
        return _read_hdf5(path, ROBOMIMIC_KEYS)
    raise ValueError(f"{path}: expected a .npz or .hdf5 file")


def windows(demos: Demos, obs_horizon: int, pred_horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All (observation window, action chunk, episode index) triples, one per time step."""
    obs_w, act_w, ep = [], [], []
    for i, (o, a) in enumerate(zip(demos.obs, demos.actions, strict=True)):
        for t in range(len(a)):
            idx_o = np.clip(np.arange(t - obs_horizon + 1, t + 1), 0, None)
            idx_a = np.clip(np.arange(t, t + pred_horizon), None, len(a) - 1)
            obs_w.append(o[idx_o])
            act_w.append(a[idx_a])
            ep.append(i)
    return np.stack(obs_w), np.stack(act_w), np.asarray(ep)
