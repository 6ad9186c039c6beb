"""The sample grid takes any square image side (8×8 digits at mini, 28×28 MNIST at real)."""

from __future__ import annotations

import numpy as np
import pytest

from advfrontier.frechet_loss.plot import plot


@pytest.mark.parametrize("side", [8, 28])
def test_plot_draws_samples_of_any_side(tmp_path, side: int) -> None:
    work = tmp_path / "work"
    work.mkdir()
    np.savez(work / "samples_seed0.npz", fd_loss=np.random.default_rng(0).random((16, side * side)))
    result = {
        "paper": "frechet_loss", "scale": "real", "seeds": [0], "methods": ["fd_loss"],
        "config": {"work_dir": str(work)},
        "summary": {"fd_loss/fd_mlp": {"mean": 1.0, "std": 0.1, "n": 1}},
    }  # fmt: skip
    plot(result, str(tmp_path / "p.png"))
    assert (tmp_path / "p.png").stat().st_size > 1000
