"""The paper config on tiny files in the real formats: TorchScript Inception and generator, a Hugging Face
DINOv2 directory, ImageNet-style JPEG folders. Two FD-loss steps must run and move the generator."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import Tensor, nn

from advfrontier.frechet_loss import imagenet
from advfrontier.frechet_loss.config import PAPER_SCALE
from advfrontier.frechet_loss.fd import mean_cov
from advfrontier.shared.data import DataNotFoundError


class TinyInception(nn.Module):
    """Same call signature as the FID Inception TorchScript: forward(x in [0, 255], return_features)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, stride=2)

    def forward(self, x: Tensor, return_features: bool = False) -> Tensor:
        f = self.conv(x / 255.0).mean(dim=(2, 3))
        return f if return_features else f.softmax(1)


class TinyGenerator(nn.Module):
    """forward(z, t, y) → velocity, as the exported generator."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)
        self.emb = nn.Embedding(4, 3)

    def forward(self, z: Tensor, t: Tensor, y: Tensor) -> Tensor:
        return self.conv(z) * t.view(-1, 1, 1, 1) + self.emb(y).view(-1, 3, 1, 1)


def make_tiny_data(root: Path) -> None:
    from PIL import Image

    transformers = pytest.importorskip("transformers", reason="the paper scale's DINOv2 needs transformers")
    Dinov2Config, Dinov2Model = transformers.Dinov2Config, transformers.Dinov2Model

    rng = np.random.default_rng(0)
    for c in ("n01440764", "n01443537"):
        (root / "imagenet/train" / c).mkdir(parents=True)
        for i in range(5):
            arr = (rng.random((20, 24, 3)) * 255).astype(np.uint8)
            Image.fromarray(arr).save(root / "imagenet/train" / c / f"{c}_{i}.JPEG")
    w = root / "frechet_loss/weights"
    w.mkdir(parents=True)
    torch.manual_seed(0)
    torch.jit.save(torch.jit.script(TinyInception()), str(w / "inception-2015-12-05.pt"))
    torch.jit.save(torch.jit.script(TinyGenerator()), str(w / "generator.pt"))
    cfg = Dinov2Config(
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=16,
        patch_size=7,
        image_size=14,
    )
    Dinov2Model(cfg).save_pretrained(str(w / "dinov2-vitl14"))


TINY = dict(
    device="cpu",
    ft_steps=2,
    ft_batch=4,
    queue=8,
    ft_warmup=1,
    eval_samples=4,
    image_size=16,
    num_classes=4,
    teacher_steps=2,
    dino_resolution=14,
    log_every=0,
)


def test_paper_config_carries_the_paper_hyperparameters() -> None:
    c = PAPER_SCALE
    assert (c.ft_batch, c.queue, c.ft_lr, c.image_size, c.num_classes) == (1024, 50_000, 1e-5, 256, 1000)
    assert c.train_spaces == ("inception", "dinov2") and c.device == "cuda"
    assert c.ft_steps == 50 * 1250 and c.ft_warmup == 5 * 1250


def test_two_steps_on_tiny_files(tmp_path: Path) -> None:
    make_tiny_data(tmp_path)
    cfg = replace(PAPER_SCALE, data_dir=str(tmp_path), work_dir=str(tmp_path / "work"), **TINY)
    torch.manual_seed(0)
    metrics = imagenet.run_paper(cfg, seed=0)
    for m in ("teacher", "one_step", "fd_queue"):
        for s in ("inception", "dinov2"):
            assert np.isfinite(metrics[f"{m}/fd_{s}"]) and metrics[f"{m}/fd_{s}"] >= -1e-6
    # the reference statistics were computed from the 10 JPEGs and cached in the npz format
    stats = np.load(tmp_path / "frechet_loss/stats/inception_16.npz")
    enc = imagenet.load_encoders(tmp_path, ("inception",))["inception"]
    files = imagenet.image_files(tmp_path)
    with torch.no_grad():
        mu, sigma = mean_cov(enc(torch.stack([imagenet.read_image(f, 16) for f in files])))
    assert (
        len(files) == 10
        and np.allclose(stats["mu"], mu.numpy())
        and np.allclose(stats["sigma"], sigma.numpy())
    )
    # two FD-loss steps changed the generator's weights
    before = torch.jit.load(str(tmp_path / "frechet_loss/weights/generator.pt")).state_dict()
    after = torch.jit.load(str(tmp_path / "work/generator_fd_seed0.pt")).state_dict()
    assert any(not torch.equal(before[k], after[k]) for k in before)


@pytest.mark.parametrize(
    "missing", ["frechet_loss/weights/inception-2015-12-05.pt", "frechet_loss/weights/generator.pt"]
)
def test_missing_weights_raise_a_clear_error(tmp_path: Path, missing: str) -> None:
    make_tiny_data(tmp_path)
    (tmp_path / missing).unlink()
    cfg = replace(PAPER_SCALE, data_dir=str(tmp_path), **TINY)
    with pytest.raises(DataNotFoundError, match=Path(missing).name):
        imagenet.run_paper(cfg, seed=0)


def test_missing_images_and_stats_name_both(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError, match="imagenet/train"):
        imagenet.image_files(tmp_path)
    with pytest.raises(DataNotFoundError, match="ADVFRONTIER_DATA"):
        imagenet.run_paper(replace(PAPER_SCALE, data_dir=None, **TINY), seed=0)
