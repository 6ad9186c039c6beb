"""Test points: fixed draws from the reference equilibrium occupation measure (no data files are involved).

The paper's problems are synthetic; every scale generates its own states, so there is nothing to load and
``data_dir`` is unused. The 1000 test points are drawn once from a fixed generator (independent of the run's
seed): a grid time n uniform on {0, …, N−1} and Z_{t_n} from the Euler chain driven by the reference control
u* and mean m̄*, started at Z_0.
"""

from __future__ import annotations

import math

import torch

from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.reference import LQReference

TEST_SEED = 20260426


def test_points(
    p: LQProblem, ref: LQReference, steps: int, count: int, seed: int = TEST_SEED
) -> tuple[torch.Tensor, torch.Tensor]:
    """(n, z): grid indices in [0, N) and states at those times, from the reference equilibrium."""
    g = torch.Generator().manual_seed(seed)
    h = p.T / steps
    n = torch.randint(0, steps, (count,), generator=g)
    z = p.sample_initial(count, generator=g)
    out = z.clone()
    for k in range(steps - 1):
        t = torch.full((count,), k * h, dtype=z.dtype)
        m = ref.mean(t)
        u = ref.control(t, z)
        z = z + h * p.drift(z, m, u) + p.sig * math.sqrt(h) * torch.randn(count, p.d, generator=g)
        out = torch.where((n == k + 1)[:, None], z, out)
    return n, out


def initial_points(p: LQProblem, count: int, seed: int = TEST_SEED + 1) -> torch.Tensor:
    """Fixed draws of Z_0 for the cost J = E v(0, Z_0)."""
    return p.sample_initial(count, generator=torch.Generator().manual_seed(seed))
