"""Paper config: two steps on tiny files in the assumed Bridge2AI-Voice layout; missing files named."""

import dataclasses
import math

import pytest

from advfrontier.mpib.config import PAPER_SCALE
from advfrontier.mpib.data_real import read_bridge2ai, write_tiny_bridge2ai
from advfrontier.mpib.paper import PAPER, run
from advfrontier.shared.data.errors import DataNotFoundError


def test_paper_config_runs_two_steps_on_tiny_files(tmp_path):
    write_tiny_bridge2ai(tmp_path, n_speakers=6, sessions=2, frames=30, n_features=8, seed=0)
    corpus = read_bridge2ai(tmp_path, frames=30)
    assert tuple(corpus.x.shape) == (24, 30, 8) and corpus.speaker.max() == 5 and corpus.session.max() == 1
    cfg = dataclasses.replace(
        PAPER_SCALE,
        data_dir=str(tmp_path),
        device="cpu",
        frames=30,
        folds=3,
        max_steps=2,
        latency_reps=1,
        hidden=16,
    )
    assert cfg.trait_dim == 64 and cfg.state_dim == 32 and cfg.state_bits == 4  # the paper's heads
    metrics = run(cfg, seed=0)
    for method in PAPER.methods:
        assert f"{method}/eer" in metrics
    assert all(math.isfinite(v) for v in metrics.values())
    assert metrics["mpib/state_bits"] == 128 and metrics["mpib/trait_bits"] == 1024


def test_missing_data_is_named(tmp_path):
    with pytest.raises(DataNotFoundError, match=r"recordings\.tsv"):
        read_bridge2ai(tmp_path, frames=30)
    write_tiny_bridge2ai(tmp_path, n_speakers=3, sessions=2, frames=10, n_features=4, seed=0)
    (tmp_path / "bridge2ai_voice" / "features" / "P001_S1_R0.npy").unlink()
    with pytest.raises(DataNotFoundError, match=r"P001_S1_R0\.npy"):
        read_bridge2ai(tmp_path, frames=10)
