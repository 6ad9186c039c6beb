"""Paper scale: RoboMimic hdf5 is read with h5py (a declared dependency), demos in numeric order."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np

from advfrontier.diffusion_reward.real_data import ROBOMIMIC_KEYS, load_demos

DIMS = {"object": 10, "robot0_eef_pos": 3, "robot0_eef_quat": 4, "robot0_gripper_qpos": 2}


def test_robomimic_hdf5_concatenates_the_low_dim_keys_in_demo_order(tmp_path: Path) -> None:
    path = tmp_path / "robomimic" / "lift" / "low_dim.hdf5"
    path.parent.mkdir(parents=True)
    lengths = {0: 5, 2: 7, 10: 4}  # demo_10 must come after demo_2 (numeric, not lexical, order)
    with h5py.File(path, "w") as f:
        for i, t in lengths.items():
            g = f.create_group(f"data/demo_{i}")
            for k, d in DIMS.items():
                g.create_dataset(f"obs/{k}", data=np.full((t, d), float(i), dtype=np.float32))
            g.create_dataset("actions", data=np.full((t, 7), -float(i), dtype=np.float32))
    demos = load_demos("robomimic", str(tmp_path), "robomimic/lift/low_dim.hdf5")
    assert [len(o) for o in demos.obs] == [5, 7, 4]
    assert demos.obs[0].shape[1] == sum(DIMS[k] for k in ROBOMIMIC_KEYS)
    assert [float(o[0, 0]) for o in demos.obs] == [0.0, 2.0, 10.0]
    assert [float(a[0, 0]) for a in demos.actions] == [0.0, -2.0, -10.0]
