"""Classical convolutional autoencoder purifier (the paper's classical baseline), trained on clean data."""

from __future__ import annotations

from torch import Tensor, nn


class ConvAutoencoder(nn.Module):
    """conv(1→c) → conv(c→2c, stride 2) → deconv(2c→c, stride 2) → conv(c→1) → sigmoid; images in [0, 1]."""

    def __init__(self, channels: int = 32) -> None:
        super().__init__()
        c = channels
        self.net = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(c, 2 * c, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.ConvTranspose2d(2 * c, c, 4, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(c, 1, 3, padding=1),
            nn.Sigmoid(),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


def reconstruction_loss(x_hat: Tensor, x: Tensor) -> Tensor:
    """Mean squared reconstruction error on clean images (classical autoencoder training)."""
    return nn.functional.mse_loss(x_hat, x)


def count_parameters(module: nn.Module) -> int:
    """Trained scalars of a module (frozen ones included)."""
    return sum(p.numel() for p in module.parameters())
