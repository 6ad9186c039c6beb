"""A small CNN for 8×8 digits (and other small images): two conv blocks and a two-layer head.

``features(x)`` gives the penultimate representation that several papers regularise.
"""

from __future__ import annotations

from torch import Tensor, nn

from advfrontier.shared.models.normalize import Normalize


class SmallCNN(nn.Module):
    def __init__(
        self,
        in_channels: int = 1,
        num_classes: int = 10,
        width: int = 32,
        feature_dim: int = 128,
        image_size: int = 8,
        mean: float = 0.5,
        std: float = 0.5,
    ) -> None:
        super().__init__()
        self.normalize = Normalize([mean] * in_channels, [std] * in_channels)
        self.body = nn.Sequential(
            nn.Conv2d(in_channels, width, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(2 * width * (image_size // 2) ** 2, feature_dim),
            nn.ReLU(),
        )
        self.head = nn.Linear(feature_dim, num_classes)

    def features(self, x: Tensor) -> Tensor:
        return self.body(self.normalize(x))

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x))
