"""The VE schedule's closed form and its derivative dσ²/dt."""

from __future__ import annotations

import math

import pytest
import torch

from advfrontier.diffusion_reward.schedule import VESchedule


def test_sigma_endpoints_and_geometric_midpoint() -> None:
    sch = VESchedule(0.01, 10.0, 2.0)
    t = torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64)
    torch.testing.assert_close(
        sch.sigma(t), torch.tensor([0.01, math.sqrt(0.01 * 10.0), 10.0], dtype=torch.float64)
    )


def test_d_sigma_sq_matches_finite_differences() -> None:
    sch = VESchedule(0.01, 10.0, 1.0)
    t = torch.linspace(0.05, 0.95, 7, dtype=torch.float64)
    h = 1e-6
    fd = (sch.sigma(t + h) ** 2 - sch.sigma(t - h) ** 2) / (2 * h)
    torch.testing.assert_close(sch.d_sigma_sq(t), fd, rtol=1e-6, atol=0)


def test_invalid_schedule_is_rejected() -> None:
    with pytest.raises(ValueError, match="sigma_min < sigma_max"):
        VESchedule(1.0, 0.5)
