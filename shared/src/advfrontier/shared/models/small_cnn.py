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
        early_pool: bool = False,
    ) -> None:
        """``early_pool`` pools after the first conv too (4× cheaper on 28×28 images: the ``real`` scale)."""
        super().__init__()
        self.normalize = Normalize([mean] * in_channels, [std] * in_channels)
        first = [nn.Conv2d(in_channels, width, 3, padding=1), nn.ReLU()]
        if early_pool:
            first.append(nn.MaxPool2d(2))
        side = image_size // (4 if early_pool else 2)
        self.body = nn.Sequential(
            *first,
            nn.Conv2d(width, 2 * width, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(2 * width * side**2, feature_dim),
            nn.ReLU(),
        )
        self.head = nn.Linear(feature_dim, num_classes)

    def features(self, x: Tensor) -> Tensor:
        return self.body(self.normalize(x))

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x))
