"""Test-wide settings: one torch thread (the machine is shared and noisy) and a fixed seed."""

import pytest
import torch


@pytest.fixture(autouse=True)
def _deterministic_torch() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(0)
