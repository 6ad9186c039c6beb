"""Figure: a grid of seed-0 samples per method, and FD per space with its std over seeds."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np


def plot(result: Mapping[str, Any], png_path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = result["summary"]
    methods = [m for m in result["methods"] if f"{m}/fd_mlp" in summary]
    work = result["config"].get("work_dir")
    npz = Path(work) / "samples_seed0.npz" if work else None
    samples = dict(np.load(npz)) if npz is not None and npz.exists() else {}
    spaces = [
        c for c in ("fd_cnn", "fd_rand", "fd_mlp", "fd_pca") if any(f"{m}/{c}" in summary for m in methods)
    ]
    fig, axes = plt.subplots(
        2, max(len(methods), len(spaces)), figsize=(1.9 * max(len(methods), len(spaces)), 4.4), squeeze=False
    )
    for ax in axes.ravel():
        ax.axis("off")
    for ax, m in zip(axes[0], methods, strict=False):
        if m in samples:
            imgs = samples[m][:16]
            side = math.isqrt(imgs[0].size)  # 8 (digits) or 28 (MNIST)
            imgs = imgs.reshape(len(imgs), side, side)
            step = side + 1
            grid = np.full((4 * step - 1, 4 * step - 1), 0.2)  # light-grey separators
            for i, im in enumerate(imgs):
                r, c = divmod(i, 4)
                grid[step * r : step * r + side, step * c : step * c + side] = im
            ax.imshow(grid, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(m, fontsize=8)
    for ax, c in zip(axes[1], spaces, strict=False):
        ax.axis("on")
        ms = [m for m in methods if f"{m}/{c}" in summary]
        ax.bar(
            range(len(ms)),
            [summary[f"{m}/{c}"]["mean"] for m in ms],
            yerr=[summary[f"{m}/{c}"]["std"] for m in ms],
            color=["tab:gray" if not m.startswith("fd_") else "tab:blue" for m in ms],
            capsize=2,
        )
        ax.set_yscale("log")
        ax.set_xticks(range(len(ms)), ms, rotation=60, ha="right", fontsize=6)
        ax.set_title(c + (" (held out)" if c == "fd_mlp" else ""), fontsize=8)
    fig.suptitle(
        f"{result['paper']} ({result['scale']}, {len(result['seeds'])} seed(s)): seed-0 samples, FD",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)
    plt.close(fig)
