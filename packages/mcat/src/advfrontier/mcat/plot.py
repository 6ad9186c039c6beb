"""Per-class PGD-20 accuracy against training-frequency rank: one panel per imbalance ratio."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def plot_per_class(result: Mapping[str, Any], path: str) -> Path:
    """Lines of mean PGD-k accuracy per rank bin (``pgd*_g<i>``) with ± std bands, per method."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pattern = re.compile(r"^(?P<method>[^@/]+)@ir(?P<ir>[^/]+)/(?P<attack>pgd\d+)_g(?P<g>\d+)$")
    series: dict[str, dict[str, dict[int, tuple[float, float]]]] = {}
    attack = "pgd"
    for key, s in result["summary"].items():
        m = pattern.match(key)
        if m:
            attack = m["attack"]
            series.setdefault(m["ir"], {}).setdefault(m["method"], {})[int(m["g"])] = (s["mean"], s["std"])
    ratios = sorted(series, key=float)
    fig, axes = plt.subplots(1, max(len(ratios), 1), figsize=(4.6 * max(len(ratios), 1), 3.4), squeeze=False)
    for ax, ir in zip(axes[0], ratios, strict=False):
        for method, pts in series[ir].items():
            gs = sorted(pts)
            mean = [pts[g][0] for g in gs]
            std = [pts[g][1] for g in gs]
            ax.plot(gs, mean, marker="o", ms=3, label=method)
            ax.fill_between(gs, [a - b for a, b in zip(mean, std, strict=True)],
                            [a + b for a, b in zip(mean, std, strict=True)], alpha=0.15)  # fmt: skip
        ax.set_title(f"imbalance ratio {ir}", fontsize=9)
        ax.set_xlabel("class rank by training frequency (0 = most frequent)", fontsize=8)
        ax.set_ylabel(f"{attack.upper()} accuracy (%)", fontsize=8)
        ax.legend(fontsize=7)
    fig.suptitle(f"{result['paper']} ({result['scale']}, {len(result['seeds'])} seeds)", fontsize=10)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
