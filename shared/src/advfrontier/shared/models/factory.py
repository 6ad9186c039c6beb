"""Models by name, sized for a named data set."""

from __future__ import annotations

from torch import nn

from advfrontier.shared.data.catalog import DATASETS
from advfrontier.shared.models.normalize import CIFAR10_MEAN, CIFAR10_STD, CIFAR100_MEAN, CIFAR100_STD
from advfrontier.shared.models.preact_resnet import PreActResNet18
from advfrontier.shared.models.small_cnn import SmallCNN

MODELS: tuple[str, ...] = ("small_cnn", "small_cnn_pooled", "preact_resnet18")


def make_model(name: str, dataset: str) -> nn.Module:
    """``small_cnn`` for small images, ``preact_resnet18`` for CIFAR-sized and larger ones."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown data set {dataset!r}; expected one of {sorted(DATASETS)}")
    channels, size, classes = DATASETS[dataset]
    if name == "small_cnn":
        return SmallCNN(in_channels=channels, num_classes=classes, image_size=size)
    if name == "small_cnn_pooled":  # 16/32 channels, pooled twice: PGD-40 training on MNIST on a CPU
        return SmallCNN(in_channels=channels, num_classes=classes, image_size=size, width=16, early_pool=True)
    if name == "preact_resnet18":
        if channels != 3:
            raise ValueError("preact_resnet18 expects 3-channel images")
        mean, std = (CIFAR100_MEAN, CIFAR100_STD) if dataset == "cifar100" else (CIFAR10_MEAN, CIFAR10_STD)
        return PreActResNet18(num_classes=classes, mean=mean, std=std)
    raise ValueError(f"unknown model {name!r}; expected one of {MODELS}")
