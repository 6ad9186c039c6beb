"""The paper's other architectures: ResNet-18 and WideResNet-34-10 (CIFAR stems), inputs in [0, 1].

ResNet-18: He et al., 2016, basic blocks (2, 2, 2, 2), 3×3 stem without max-pool, as the CIFAR adversarial-
training literature uses it. WRN-34-10: Zagoruyko & Komodakis, 2016, depth 34 (5 blocks per group), width 10,
pre-activation blocks, as Madry/TRADES/MART use it (the released RAAT code's ``wrn3410`` builds WRN-28-10).
Normalisation is the first layer; ``features(x)`` is the pooled representation and ``head`` the classifier.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch.nn.functional as F
from torch import Tensor, nn

from advfrontier.shared.data.catalog import DATASETS
from advfrontier.shared.models.factory import MODELS as SHARED_MODELS
from advfrontier.shared.models.factory import make_model as shared_make_model
from advfrontier.shared.models.normalize import (
    CIFAR10_MEAN,
    CIFAR10_STD,
    CIFAR100_MEAN,
    CIFAR100_STD,
    Normalize,
)

MODELS: tuple[str, ...] = (*SHARED_MODELS, "resnet18", "wrn34_10")


class BasicBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = nn.Sequential()
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x: Tensor) -> Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.short(x))


class ResNet18(nn.Module):
    def __init__(self, num_classes: int, mean: Sequence[float], std: Sequence[float]) -> None:
        super().__init__()
        self.normalize = Normalize(mean, std)
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU())
        layers, cin = [], 64
        for i, stride in enumerate((1, 2, 2, 2)):
            cout = 64 * 2**i
            layers += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
            cin = cout
        self.layers = nn.Sequential(*layers)
        self.head = nn.Linear(cin, num_classes)

    def features(self, x: Tensor) -> Tensor:
        return F.adaptive_avg_pool2d(self.layers(self.stem(self.normalize(x))), 1).flatten(1)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x))


class WideBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.short = None if cin == cout and stride == 1 else nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        out = F.relu(self.bn1(x))
        short = x if self.short is None else self.short(out)
        return self.conv2(F.relu(self.bn2(self.conv1(out)))) + short


class WideResNet(nn.Module):
    def __init__(
        self, num_classes: int, mean: Sequence[float], std: Sequence[float], depth: int = 34, widen: int = 10
    ) -> None:
        super().__init__()
        if (depth - 4) % 6:
            raise ValueError(f"WideResNet depth must be 6n + 4, got {depth}")
        n = (depth - 4) // 6
        widths = (16, 16 * widen, 32 * widen, 64 * widen)
        self.normalize = Normalize(mean, std)
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        blocks, cin = [], widths[0]
        for g, stride in enumerate((1, 2, 2)):
            for b in range(n):
                blocks.append(WideBlock(cin, widths[g + 1], stride if b == 0 else 1))
                cin = widths[g + 1]
        self.blocks = nn.Sequential(*blocks)
        self.bn = nn.BatchNorm2d(cin)
        self.head = nn.Linear(cin, num_classes)

    def features(self, x: Tensor) -> Tensor:
        out = F.relu(self.bn(self.blocks(self.conv1(self.normalize(x)))))
        return F.adaptive_avg_pool2d(out, 1).flatten(1)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x))


def make_model(name: str, dataset: str) -> nn.Module:
    """The shared models by name, plus ``resnet18`` and ``wrn34_10`` for 3-channel data sets."""
    if name not in ("resnet18", "wrn34_10"):
        return shared_make_model(name, dataset)
    channels, _, classes = DATASETS[dataset]
    if channels != 3:
        raise ValueError(f"{name} expects 3-channel images, {dataset} has {channels}")
    mean, std = (CIFAR100_MEAN, CIFAR100_STD) if dataset == "cifar100" else (CIFAR10_MEAN, CIFAR10_STD)
    return ResNet18(classes, mean, std) if name == "resnet18" else WideResNet(classes, mean, std, 34, 10)
