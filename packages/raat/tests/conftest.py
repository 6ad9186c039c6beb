"""Fixtures: small models whose predictions are known in closed form."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor, nn


class SignModel(nn.Module):
    """Two classes on a scalar input s = x.sum(): logits (−s, s), so the prediction is 1 iff s > 0."""

    def forward(self, x: Tensor) -> Tensor:
        s = x.flatten(1).sum(1)
        return torch.stack([-s, s], dim=1)


class LinearModel(nn.Module):
    """logits = W·vec(x) + b: affine, so it commutes with convex combinations of inputs."""

    def __init__(self, in_features: int, classes: int) -> None:
        super().__init__()
        self.fc = nn.Linear(in_features, classes)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc(x.flatten(1))


@pytest.fixture
def sign_model() -> SignModel:
    return SignModel()


@pytest.fixture
def linear_model() -> LinearModel:
    return LinearModel(2 * 4 * 4, 5)
