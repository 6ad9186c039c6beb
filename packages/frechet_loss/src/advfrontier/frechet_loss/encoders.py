"""Representation spaces of the miniature, all built here from the digits' train split (no download).

- ``cnn``: a small conv classifier's penultimate features (trained; the "Inception" of the miniature);
- ``rand``: a frozen random conv net (random features);
- ``mlp``: an MLP classifier's penultimate features, trained with another seed and architecture: the
  held-out judge, never used for training a generator;
- ``pca``: pixel PCA fitted on the train split.
Every encoder takes images in [0, 1] of shape (N, 1, side, side) (digits: 8; MNIST at the real scale: 28)
and returns (N, d) features.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advfrontier.shared.engine import budget_reached


class ConvNet(nn.Module):
    """Two conv layers, a pool and a linear feature layer; ``head`` classifies."""

    def __init__(self, dim: int, width: int = 16, classes: int = 10, side: int = 8) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, padding=1),
            nn.ReLU(),
            nn.AvgPool2d(2),
            nn.Flatten(),
            nn.Linear(2 * width * (side // 2) ** 2, dim),
        )
        self.head = nn.Sequential(nn.ReLU(), nn.Linear(dim, classes))

    def features(self, x: Tensor) -> Tensor:
        return self.body(2.0 * x - 1.0)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x))


class MLPNet(nn.Module):
    """A two-hidden-layer MLP on pixels; ``features`` is the second hidden layer before its ReLU."""

    def __init__(self, dim: int, hidden: int = 128, classes: int = 10, pixels: int = 64) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(pixels, hidden), nn.Tanh(), nn.Linear(hidden, dim))
        self.head = nn.Sequential(nn.Tanh(), nn.Linear(dim, classes))

    def features(self, x: Tensor) -> Tensor:
        return self.body(2.0 * x - 1.0)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x))


class PCA(nn.Module):
    """Projection of centred pixels on the top principal directions of the fitting set."""

    def __init__(self, x: Tensor, dim: int) -> None:
        super().__init__()
        flat = x.flatten(1).double()
        mean = flat.mean(0)
        _, _, vt = torch.linalg.svd(flat - mean, full_matrices=False)
        self.register_buffer("mean", mean.float())
        self.register_buffer("proj", vt[:dim].T.contiguous().float())

    def features(self, x: Tensor) -> Tensor:
        return (x.flatten(1) - self.mean) @ self.proj


def train_classifier(
    model: nn.Module, x: Tensor, y: Tensor, epochs: int, batch: int, lr: float, seed: int
) -> nn.Module:
    """Adam on cross-entropy; returns the model frozen in eval mode."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = 0
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), batch):
            idx = perm[i : i + batch]
            loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            steps += 1
            if budget_reached(steps):  # --max-steps
                break
        if budget_reached(steps):
            break
    return freeze(model)


def freeze(model: nn.Module) -> nn.Module:
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


@torch.no_grad()
def accuracy(model: nn.Module, x: Tensor, y: Tensor) -> float:
    """Top-1 accuracy in %."""
    return 100.0 * float((model(x).argmax(1) == y).float().mean())


def build_encoders(
    x: Tensor, y: Tensor, dims: dict[str, int], epochs: int, seed: int
) -> dict[str, nn.Module]:
    """The four spaces, fitted on the train split (x in [0, 1] of shape (N, 1, side, side), y labels)."""
    side = x.shape[-1]
    torch.manual_seed(10_000 + seed)
    cnn = train_classifier(ConvNet(dims["cnn"], side=side), x, y, epochs, 64, 2e-3, 10_000 + seed)
    torch.manual_seed(20_000 + seed)
    rand = freeze(ConvNet(dims["rand"], width=8, side=side))
    torch.manual_seed(30_000 + seed)
    mlp = train_classifier(MLPNet(dims["mlp"], pixels=side * side), x, y, epochs, 64, 2e-3, 30_000 + seed)
    return {"cnn": cnn, "rand": rand, "mlp": mlp, "pca": freeze(PCA(x, dims["pca"]))}


def features(enc: nn.Module, x: Tensor, chunk: int = 1024) -> Tensor:
    """enc.features over chunks (keeps the graph if x requires grad)."""
    return torch.cat([enc.features(x[i : i + chunk]) for i in range(0, len(x), chunk)])
