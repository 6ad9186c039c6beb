"""Paper scale: ImageNet 256, Inception + DINOv2 FD-loss on a pretrained multi-step pixel generator.

Everything is read from the local data directory (``--data-dir`` or ``$ADVFRONTIER_DATA``); nothing is
downloaded. Layout (relative to the data directory)::

    imagenet/train/<wnid>/*.JPEG                    ImageNet-1k train images (for the reference statistics)
    frechet_loss/stats/<space>_<size>.npz           cached reference statistics (mu, sigma), written here
    frechet_loss/weights/inception-2015-12-05.pt    TorchScript FID Inception (StyleGAN2-ADA metrics)
    frechet_loss/weights/dinov2-vitl14/             Hugging Face facebook/dinov2-large (config + weights)
    frechet_loss/weights/generator.pt               TorchScript u(z, t, y) → velocity, e.g. an exported JiT
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn

from advfrontier.frechet_loss.config import FrechetConfig
from advfrontier.frechet_loss.fd import Reference, frechet_distance, mean_cov
from advfrontier.frechet_loss.finetune import FDTrain, finetune
from advfrontier.shared.data.errors import DataNotFoundError, require, resolve_data_dir

INCEPTION = "frechet_loss/weights/inception-2015-12-05.pt"
DINOV2 = "frechet_loss/weights/dinov2-vitl14"
IMAGES = "imagenet/train"
SOURCES = {
    "inception": (
        "https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/metrics/inception-2015-12-05.pt"
    ),
    "dinov2": "https://huggingface.co/facebook/dinov2-large (config.json and model.safetensors)",
    "generator": "a multi-step pixel flow generator (e.g. JiT, github.com/LTH14/JiT) exported with "
    "torch.jit.script so that forward(z, t, y) returns the velocity (z − x) at noise level t ∈ [0, 1]",
    "images": "https://image-net.org/download (ILSVRC2012 train, one folder per class)",
}
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class InceptionFeatures(nn.Module):
    """The FID Inception's 2048-d pool features of images in [0, 1] (it resizes to 299 inside)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.net = torch.jit.load(str(path), map_location="cpu").eval()

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x * 255.0, return_features=True)


class DinoFeatures(nn.Module):
    """DINOv2's class token (after the final norm) of images in [0, 1] resized to ``resolution``."""

    def __init__(self, path: Path, resolution: int = 224) -> None:
        super().__init__()
        from transformers import Dinov2Model

        self.net = Dinov2Model.from_pretrained(str(path)).eval()
        self.resolution = resolution
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, x: Tensor) -> Tensor:
        x = nn.functional.interpolate(x, size=self.resolution, mode="bicubic", align_corners=False)
        return self.net(pixel_values=(x - self.mean) / self.std).pooler_output


def load_encoders(root: Path, spaces: tuple[str, ...], dino_resolution: int = 224) -> dict[str, nn.Module]:
    """Frozen encoders of the named spaces from local weights (clear errors when absent)."""
    out: dict[str, nn.Module] = {}
    for s in spaces:
        if s == "inception":
            path = require(
                root / INCEPTION, "FID Inception weights", SOURCES["inception"], f"{root / INCEPTION} exists"
            )
            enc: nn.Module = InceptionFeatures(path)
        elif s == "dinov2":
            require(
                root / DINOV2 / "config.json",
                "DINOv2 ViT-L/14",
                SOURCES["dinov2"],
                f"{root / DINOV2}/config.json exists",
            )
            enc = DinoFeatures(root / DINOV2, dino_resolution)
        else:
            raise ValueError(f"unknown paper-scale space {s!r}")
        for p in enc.parameters():
            p.requires_grad_(False)
        out[s] = enc.eval()
    return out


def load_generator(root: Path, rel: str) -> nn.Module:
    path = require(
        root / rel, "the pretrained multi-step generator", SOURCES["generator"], f"{root / rel} exists"
    )
    return torch.jit.load(str(path), map_location="cpu")


def read_image(path: Path, size: int) -> Tensor:
    """A centre crop resized to ``size``×``size``, as a (3, size, size) tensor in [0, 1]."""
    from PIL import Image

    with Image.open(path) as im:
        im = im.convert("RGB")
        s = min(im.size)
        left, top = (im.width - s) // 2, (im.height - s) // 2
        im = im.crop((left, top, left + s, top + s)).resize((size, size), Image.BICUBIC)
        return torch.from_numpy(np.asarray(im, dtype=np.float32) / 255.0).permute(2, 0, 1)


def image_files(root: Path, limit: int = 0) -> list[Path]:
    folder = root / IMAGES
    files = sorted(p for p in folder.glob("*/*") if p.suffix.lower() in {".jpeg", ".jpg", ".png"})
    if not files:
        raise DataNotFoundError(
            f"no images under {folder}/<wnid>/*.JPEG.\n  Get them from {SOURCES['images']}\n"
            f"  or place precomputed statistics at {root}/frechet_loss/stats/<space>_<size>.npz (mu, sigma)"
        )
    return files[:limit] if limit else files


@torch.no_grad()
def reference_stats(root: Path, space: str, enc: nn.Module, cfg: FrechetConfig) -> Reference:
    """Cached (mu, sigma) of real features, computed from the images once if the npz is absent."""
    path = root / "frechet_loss" / "stats" / f"{space}_{cfg.image_size}.npz"
    if not path.exists():
        files = image_files(root, cfg.stats_images)
        feats = []
        for i in range(0, len(files), cfg.ft_batch):
            x = torch.stack([read_image(f, cfg.image_size) for f in files[i : i + cfg.ft_batch]])
            feats.append(enc(x.to(cfg.device)).double().cpu())
        mu, sigma = mean_cov(torch.cat(feats))
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, mu=mu.numpy(), sigma=sigma.numpy())
    d = np.load(path)
    return Reference.of(torch.from_numpy(d["mu"]), torch.from_numpy(d["sigma"])).to(cfg.device)


def euler(gen: nn.Module, z: Tensor, y: Tensor, steps: int) -> Tensor:
    """Multi-step sampling from t = 1 to 0; returns images in [0, 1]."""
    x = z
    ts = torch.linspace(1.0, 0.0, steps + 1, device=z.device)
    for i in range(steps):
        x = x + (ts[i + 1] - ts[i]) * gen(x, ts[i].expand(len(z)), y)
    return ((x + 1) / 2).clamp(0, 1)


def one_step(gen: nn.Module, z: Tensor, y: Tensor) -> Tensor:
    """x = z − u(z, 1, y), in [0, 1]."""
    x = z - gen(z, torch.ones(len(z), device=z.device), y)
    return ((x + 1) / 2).clamp(0, 1)


@torch.no_grad()
def evaluate(
    sample: Callable[[Tensor, Tensor], Tensor],
    encoders: dict[str, nn.Module],
    refs: dict[str, Reference],
    cfg: FrechetConfig,
    seed: int,
) -> dict[str, float]:
    """FD of ``eval_samples`` generated images in every space, and ms per image."""
    g = torch.Generator().manual_seed(100_000 + seed)
    feats: dict[str, list[Tensor]] = {k: [] for k in encoders}
    elapsed = 0.0
    for i in range(0, cfg.eval_samples, cfg.ft_batch):
        n = min(cfg.ft_batch, cfg.eval_samples - i)
        z = torch.randn(n, 3, cfg.image_size, cfg.image_size, generator=g).to(cfg.device)
        y = torch.randint(cfg.num_classes, (n,), generator=g).to(cfg.device)
        t0 = time.perf_counter()
        x = sample(z, y)
        if cfg.device.startswith("cuda"):
            torch.cuda.synchronize()
        elapsed += time.perf_counter() - t0
        for k, enc in encoders.items():
            feats[k].append(enc(x).double())
    out = {f"fd_{k}": float(frechet_distance(*mean_cov(torch.cat(v)), refs[k])) for k, v in feats.items()}
    out["ms_per_img"] = 1000.0 * elapsed / cfg.eval_samples
    return out


def run_paper(cfg: FrechetConfig, seed: int) -> dict[str, float]:
    root = resolve_data_dir(cfg.data_dir, "frechet_loss paper scale (ImageNet 256)")
    encoders = {
        k: v.to(cfg.device) for k, v in load_encoders(root, cfg.train_spaces, cfg.dino_resolution).items()
    }
    teacher = load_generator(root, cfg.generator_file).to(cfg.device).eval()
    refs = {k: reference_stats(root, k, enc, cfg) for k, enc in encoders.items()}
    metrics: dict[str, float] = {}
    if "teacher" in cfg.methods:
        res = evaluate(lambda z, y: euler(teacher, z, y, cfg.teacher_steps), encoders, refs, cfg, seed)
        metrics.update(
            {f"teacher/{k}": v for k, v in res.items()} | {"teacher/nfe": float(cfg.teacher_steps)}
        )
    if "one_step" in cfg.methods:
        res = evaluate(lambda z, y: one_step(teacher, z, y), encoders, refs, cfg, seed)
        metrics.update({f"one_step/{k}": v for k, v in res.items()} | {"one_step/nfe": 1.0})
    if "fd_queue" in cfg.methods:
        student = load_generator(root, cfg.generator_file).to(cfg.device).train()  # a fresh copy
        g = torch.Generator().manual_seed(seed)
        side, dev = cfg.image_size, cfg.device

        def noise(n: int) -> Tensor:
            z = torch.randn(n, 3, side, side, generator=g)
            return torch.cat(
                [z.flatten(1), torch.randint(cfg.num_classes, (n, 1), generator=g).float()], 1
            ).to(dev)

        def sample(zy: Tensor) -> Tensor:  # noise and label travel together through finetune's sampler
            z, y = zy[:, :-1].view(-1, 3, side, side), zy[:, -1].long()
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=dev.startswith("cuda")):
                return one_step(student, z, y).float()

        def log(step: int, raw: dict[str, float]) -> None:
            if cfg.log_every and step % cfg.log_every == 0:
                print(
                    f"[frechet_loss] step {step} " + " ".join(f"FD_{k}={v:.4g}" for k, v in raw.items()),
                    file=sys.stderr,
                )

        ft = FDTrain(
            steps=cfg.ft_steps, batch=cfg.ft_batch, lr=cfg.ft_lr, queue=cfg.queue, warmup=cfg.ft_warmup
        )
        finetune(
            [p for p in student.parameters() if p.requires_grad],
            sample,
            dict(encoders),
            refs,
            noise,
            ft,
            log=log,
        )
        student.eval()
        res = evaluate(lambda z, y: one_step(student, z, y), encoders, refs, cfg, seed)
        metrics.update({f"fd_queue/{k}": v for k, v in res.items()} | {"fd_queue/nfe": 1.0})
        if cfg.work_dir is not None:
            Path(cfg.work_dir).mkdir(parents=True, exist_ok=True)
            torch.jit.save(student, str(Path(cfg.work_dir) / f"generator_fd_seed{seed}.pt"))
    return metrics
