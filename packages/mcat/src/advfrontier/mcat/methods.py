"""Build a model and the training objective of each method from a config."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advfrontier.mcat.config import McatConfig
from advfrontier.mcat.manifold import ClassGenerators, fit_generators_latent, fit_generators_released
from advfrontier.mcat.objectives import AtBsl, Mcat, McatReleased, TermLog
from advfrontier.mcat.resnet import ResNet18
from advfrontier.shared.data.catalog import DATASETS
from advfrontier.shared.data.splits import Split
from advfrontier.shared.models.normalize import CIFAR10_MEAN, CIFAR10_STD, CIFAR100_MEAN, CIFAR100_STD
from advfrontier.shared.models.small_cnn import SmallCNN
from advfrontier.shared.train import MadryPGD, Trades
from advfrontier.shared.train.objectives import Objective


def make_model(cfg: McatConfig) -> nn.Module:
    channels, size, classes = DATASETS[cfg.dataset]
    if cfg.model == "small_cnn":
        return SmallCNN(channels, classes, feature_dim=cfg.feature_dim, image_size=size)
    if channels != 3:
        raise ValueError("resnet18 expects 3-channel images")
    mean, std = (CIFAR100_MEAN, CIFAR100_STD) if cfg.dataset == "cifar100" else (CIFAR10_MEAN, CIFAR10_STD)
    return ResNet18(classes, mean, std)


@torch.no_grad()
def clean_features(model: nn.Module, data: Split, batch_size: int = 256) -> Tensor:
    """φ(x) of every training image, model in eval mode."""
    device = next(model.parameters()).device
    was = model.training
    model.eval()
    out = torch.cat(
        [model.features(data.x[i : i + batch_size].to(device)) for i in range(0, len(data), batch_size)]
    )
    model.train(was)
    return out


def fit_generators(cfg: McatConfig, model: nn.Module, data: Split, released: bool) -> ClassGenerators:
    """Fit and freeze one generator per class on φ of the (warm-started) model's training features."""
    device = next(model.parameters()).device
    feats, labels = clean_features(model, data), data.y.to(device)
    classes = DATASETS[cfg.dataset][2]
    gen = ClassGenerators(classes, cfg.z_dim, feats.shape[1], cfg.gen_hidden).to(device)
    if released:
        fit_generators_released(gen, feats, labels, cfg.gen_epochs, cfg.gen_lr)
    else:
        fit_generators_latent(
            gen, feats, labels, cfg.gen_epochs, cfg.gen_lr, z_steps=cfg.z_steps, z_lr=cfg.z_lr
        )
    gen.eval()
    for p in gen.parameters():
        p.requires_grad_(False)
    return gen


def objective(
    method: str, cfg: McatConfig, model: nn.Module, data: Split, counts: Tensor, log: TermLog | None = None
) -> Objective:
    """The training objective of ``method`` (``log``: MCAT's CE and λ·d per epoch)."""
    tm, k, a = cfg.threat_model, cfg.attack_steps, cfg.step_size
    if method == "pgd_at":
        return MadryPGD(tm, k, a)
    if method == "trades":
        return Trades(tm, k, a, beta=cfg.trades_beta)
    if method == "at_bsl":
        return AtBsl(tm, counts.to(next(model.parameters()).device), k, a)
    if method == "mcat_code":
        gen = fit_generators(cfg, model, data, released=True)
        return McatReleased(gen, tm, k, a, cfg.released_lambda, cfg.released_beta, cfg.z_steps, cfg.z_lr)
    if method == "mcat":
        gen = fit_generators(cfg, model, data, released=False)
        return Mcat(
            gen,
            tm,
            k,
            a,
            cfg.mcat_lambda,
            cfg.mcat_beta,
            cfg.mcat_attack_sign,
            cfg.z_steps,
            cfg.z_lr,
            log=log,
        )
    raise ValueError(f"unknown method {method!r}")
