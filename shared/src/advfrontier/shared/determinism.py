"""Seeds, thread counts and deterministic kernels: everything a reproducible run needs set first."""

from __future__ import annotations

import os
import random

import numpy as np
import torch


def seed_everything(seed: int, threads: int = 1, deterministic: bool = True) -> None:
    """Seed Python, NumPy and torch, fix torch's thread count and ask for deterministic kernels."""
    if threads < 1:
        raise ValueError(f"threads must be >= 1, got {threads}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.benchmark = False


def generator(seed: int) -> torch.Generator:
    """A CPU torch generator seeded with ``seed`` (for data order and random starts)."""
    g = torch.Generator()
    g.manual_seed(seed)
    return g
