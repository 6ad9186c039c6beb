"""The digits miniature: train a flow generator and four encoders, fine-tune its one-step map, evaluate.

Every method is judged by FD against the test split in all four spaces (mlp and, for the main method,
pca are held out from training), by k-NN precision/recall in the held-out mlp space, and by its
sampling cost (network evaluations and measured milliseconds per image).
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn

from advfrontier.frechet_loss.baselines import MMDCriterion, MomentCriterion
from advfrontier.frechet_loss.config import MINI_SPACES, FrechetConfig
from advfrontier.frechet_loss.encoders import build_encoders, features
from advfrontier.frechet_loss.fd import Reference, fd_of_features, mean_cov
from advfrontier.frechet_loss.finetune import FDTrain, finetune
from advfrontier.frechet_loss.flow import VelocityMLP, one_step, sample_euler, train_flow
from advfrontier.frechet_loss.metrics import precision_recall
from advfrontier.shared.data import load_image_dataset, mnist

FT_MODES = {
    "fd_queue": "queue",
    "fd_ema": "ema",
    "fd_batch": "batch",
    "fd_pca_space": "queue",
    "moments": "queue",
    "mmd": "queue",
}
MMD_REAL_BATCH = 256
"""Real feature rows drawn per step for the MMD baseline."""


def to_image(v: Tensor, side: int) -> Tensor:
    """Generator scale [−1, 1] → images in [0, 1] (clamped)."""
    return ((v + 1.0) / 2.0).clamp(0.0, 1.0).view(-1, 1, side, side)


def ft_config(cfg: FrechetConfig, method: str) -> FDTrain:
    mode = FT_MODES[method]
    common = {"steps": cfg.ft_steps, "batch": cfg.ft_batch, "lr": cfg.ft_lr, "warmup": cfg.ft_warmup}
    if mode == "ema":
        return FDTrain(ema_beta=cfg.ema_beta, **common)
    return FDTrain(queue=cfg.ft_batch if mode == "batch" else cfg.queue, **common)


def evaluate(
    images: Tensor, encoders: dict[str, nn.Module], refs: dict[str, Reference], test_mlp: Tensor, k: int
) -> dict[str, float]:
    """FD in every space against the test split, and precision/recall in the held-out mlp space."""
    out: dict[str, float] = {}
    with torch.no_grad():
        for name in MINI_SPACES:
            f = features(encoders[name], images)
            out[f"fd_{name}"] = float(fd_of_features(f, refs[name]))
            if name == "mlp":
                out["precision"], out["recall"] = precision_recall(test_mlp, f, k)
    return out


def baseline_criterion(method: str, spaces, refs: dict[str, Reference], real: dict[str, Tensor], seed: int):
    """The non-FD criterion of a baseline row (None: the FD-loss)."""
    if method == "moments":
        return lambda pops: MomentCriterion({n: refs[n] for n in spaces}, pops)
    if method == "mmd":
        g = torch.Generator().manual_seed(11_000 + seed)
        return lambda pops: MMDCriterion({n: real[n] for n in spaces}, MMD_REAL_BATCH, g)
    return None


def timed(fn, z: Tensor) -> tuple[Tensor, float]:
    """Samples and milliseconds per image (wall clock; machine-dependent)."""
    with torch.no_grad():
        t0 = time.perf_counter()
        x = fn(z)
        ms = 1000.0 * (time.perf_counter() - t0) / len(z)
    return x, ms


def load_data(cfg: FrechetConfig):
    """The splits of the scale: sklearn digits (smoke, mini) or the packaged MNIST (real)."""
    if cfg.dataset == "mnist":
        return mnist(split_seed=0, val_size=cfg.val_size, train_size=cfg.train_size, test_size=cfg.test_size)
    return load_image_dataset("digits")


def run_mini(cfg: FrechetConfig, seed: int) -> dict[str, float]:
    """One seed of the digits miniature or of the MNIST real scale (the same pipeline)."""
    data = load_data(cfg)
    if data.train.x.shape[-1] != cfg.image_size:
        raise ValueError(f"image_size {cfg.image_size} does not match the data ({data.train.x.shape[-1]})")
    side = cfg.image_size
    pixels = side * side
    xtr, ytr = data.train.x, data.train.y
    encoders = build_encoders(xtr, ytr, cfg.dims, cfg.encoder_epochs, seed)
    with torch.no_grad():
        train_refs = {n: Reference.of(*mean_cov(features(encoders[n], xtr))) for n in MINI_SPACES}
        test_refs = {n: Reference.of(*mean_cov(features(encoders[n], data.test.x))) for n in MINI_SPACES}
        test_mlp = features(encoders["mlp"], data.test.x)
        train_feats = {n: features(encoders[n], xtr) for n in cfg.train_spaces}

    torch.manual_seed(seed)
    model = VelocityMLP(pixels, cfg.flow_hidden, cfg.flow_depth)
    train_flow(model, 2.0 * xtr.flatten(1) - 1.0, cfg.flow_train_steps, cfg.flow_batch, cfg.flow_lr, seed)
    model.eval()

    z_eval = torch.randn(cfg.eval_samples, pixels, generator=torch.Generator().manual_seed(7_000 + seed))
    metrics: dict[str, float] = {}
    samples: dict[str, np.ndarray] = {}

    def record(method: str, images: Tensor, nfe: int, ms: float) -> None:
        res = evaluate(images, encoders, test_refs, test_mlp, cfg.pr_k)
        res.update(nfe=float(nfe), ms_per_img=ms)
        metrics.update({f"{method}/{k}": v for k, v in res.items()})
        samples[method] = images[:16, 0].numpy()

    for method in cfg.methods:
        if method == "real":
            record(method, data.val.x, 0, 0.0)
        elif method == "teacher":
            x, ms = timed(lambda z: to_image(sample_euler(model, z, cfg.teacher_steps), side), z_eval)
            record(method, x, cfg.teacher_steps, ms)
        elif method == "one_step":
            x, ms = timed(lambda z: to_image(one_step(model, z), side), z_eval)
            record(method, x, 1, ms)
        else:
            student = copy.deepcopy(model)
            student.train()
            spaces = ("pca",) if method == "fd_pca_space" else cfg.train_spaces
            g = torch.Generator().manual_seed(9_000 + seed)
            finetune(
                list(student.parameters()),
                lambda z, m=student: to_image(one_step(m, z), side),
                {n: encoders[n].features for n in spaces},
                {n: train_refs[n] for n in spaces},
                lambda n, g=g: torch.randn(n, pixels, generator=g),
                ft_config(cfg, method),
                criterion=baseline_criterion(method, spaces, train_refs, train_feats, seed),
            )
            student.eval()
            x, ms = timed(lambda z, m=student: to_image(one_step(m, z), side), z_eval)
            record(method, x, 1, ms)

    teacher_fd = metrics.get("teacher/fd_mlp")
    if teacher_fd:
        for method in cfg.methods:
            if method.startswith("fd_") or method == "one_step":
                metrics[f"{method}/fd_mlp_rel"] = metrics[f"{method}/fd_mlp"] / teacher_fd
    if seed == 0 and cfg.work_dir is not None:
        Path(cfg.work_dir).mkdir(parents=True, exist_ok=True)
        np.savez(Path(cfg.work_dir) / "samples_seed0.npz", **samples)
    return metrics
