"""Fixtures: small float64 models for the UAT-MC tests."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from advfrontier.uatmc.models import build_model


def tiny(model: str = "vbpr", n_users: int = 7, n_items: int = 9, seed: int = 0):
    """A float64 model, its projected features and a (user, pos, neg) batch."""
    rng = np.random.default_rng(seed)
    pairs = np.array([(u, (u * 3 + k) % n_items) for u in range(n_users) for k in range(2)])
    torch.manual_seed(seed)
    m = build_model(
        model, n_users, rng.normal(size=(n_items, 10)), rng.normal(size=(n_items, 6)), pairs, 4, (8,), (8,), 2
    ).double()
    with torch.no_grad():
        f_v, f_t = m.project()
    batch = torch.as_tensor(np.array([(u, i, (i + 4) % n_items) for u, i in pairs]), dtype=torch.long)
    return m, f_v, f_t, batch


@pytest.fixture
def make_tiny():
    """The ``tiny(model, n_users, n_items, seed)`` factory."""
    return tiny
