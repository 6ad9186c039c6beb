"""Small models and data shared by the shared package's tests."""

from __future__ import annotations

import functools

import torch

from advfrontier.shared.data import load_digits_splits
from advfrontier.shared.data.splits import Splits
from advfrontier.shared.models import SmallCNN
from advfrontier.shared.train import Standard, TrainConfig, fit


@functools.cache
def digits() -> Splits:
    return load_digits_splits(0)


@functools.cache
def _trained_state() -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    model = SmallCNN(width=16, feature_dim=64)
    fit(model, digits().train, Standard(), TrainConfig(epochs=4, batch_size=64, lr=0.05), seed=0)
    return {k: v.clone() for k, v in model.state_dict().items()}


def trained_cnn() -> SmallCNN:
    """A SmallCNN trained normally on digits for a few epochs (cached across tests)."""
    model = SmallCNN(width=16, feature_dim=64)
    model.load_state_dict(_trained_state())
    return model.eval()
