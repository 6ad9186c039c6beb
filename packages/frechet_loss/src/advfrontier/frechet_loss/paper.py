"""PAPER: the FD-loss reproduction, its claims, and the run function of every scale."""

from __future__ import annotations

from advfrontier.frechet_loss.config import MINI, PAPER_SCALE, SMOKE, FrechetConfig
from advfrontier.frechet_loss.plot import plot
from advfrontier.shared.claims import AtMost, Greater
from advfrontier.shared.paper import Metrics, Paper, Reported


def run(cfg: FrechetConfig, seed: int) -> Metrics:
    if cfg.scale == "paper":
        from advfrontier.frechet_loss.imagenet import run_paper

        return run_paper(cfg, seed)
    from advfrontier.frechet_loss.mini import run_mini

    return run_mini(cfg, seed)


PAPER = Paper(
    slug="frechet_loss",
    title="Representation Fréchet Loss for Visual Generation",
    citation=(
        "Jiawei Yang, Geng, Ju, Tian, Wang. Representation Fréchet Loss for Visual Generation. "
        "arXiv:2604.28190 (code: github.com/Jiawei-Yang/FD-loss)"
    ),
    claim=(
        "The Fréchet distance in representation spaces, computed on population statistics (a queue or EMA "
        "far larger than the batch), is a training loss that turns a multi-step generator into a one-step "
        "one with no teacher and no discriminator; FD in one space alone is not a sufficient judge."
    ),
    configs={"smoke": SMOKE, "mini": MINI, "paper": PAPER_SCALE},
    run=run,
    claims=(
        Greater(
            "FD-loss beats the untuned one-step map (held-out mlp FD)",
            a="one_step/fd_mlp",
            b="fd_queue/fd_mlp",
        ),
        AtMost(
            "FD-loss one-step within 2× of the multi-step FD (held-out mlp)",
            a="fd_queue/fd_mlp_rel",
            threshold=2.0,
        ),
        Greater(
            "queue ≫ batch beats batch-only statistics (held-out mlp FD)",
            a="fd_batch/fd_mlp",
            b="fd_queue/fd_mlp",
        ),
        Greater(
            "training in cnn+rand helps cnn more than training in pca",
            a="fd_pca_space/fd_cnn",
            b="fd_queue/fd_cnn",
        ),
        Greater(
            "training in pca helps pca more than training in cnn+rand",
            a="fd_queue/fd_pca",
            b="fd_pca_space/fd_pca",
        ),
    ),
    reported=(
        Reported(
            "fd_queue",
            "fd_inception",
            0.72,
            "Abstract",
            "ImageNet 256, one-step generator, FID (Inception FD)",
        ),
    ),
    tolerances={"*/ms_per_img": 1e3, "*/fd_*": 0.05, "*/precision": 0.5, "*/recall": 0.5},
    default_tolerance=1e-3,
    methods=("real", "teacher", "one_step", "fd_queue", "fd_ema", "fd_batch", "fd_pca_space"),
    columns=(
        "fd_cnn",
        "fd_rand",
        "fd_mlp",
        "fd_pca",
        "fd_mlp_rel",
        "precision",
        "recall",
        "nfe",
        "ms_per_img",
    ),
    plot=plot,
    notes=(
        "FD (lower is better) of 1,000 (smoke: 400) generated 8×8 digits against the 360 test digits in "
        "four spaces built here: cnn (conv classifier) and rand (random conv net) are the FD-loss's "
        "training spaces; mlp (an MLP classifier) is held out and pca (pixel PCA-16) is held out except for"
        " fd_pca_space. fd_mlp_rel = fd_mlp / teacher's fd_mlp. precision/recall (%, k = 3) in the mlp "
        "space. nfe = network evaluations per image; ms_per_img is wall clock on a shared CPU (not diffed)."
        " real = the 359 validation digits. The teacher is 20 Euler steps of a small MLP flow, a weak "
        "multi-step model, so 'close to the teacher' is an easy bar here; FD-tuned one-step samples trade "
        "precision for recall against the teacher, so a lower FD is not better on every measure."
    ),
)
