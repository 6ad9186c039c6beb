"""The miniature's figure: ASR against the evaluation ε, worst-group ASR, and the DRO weights per subgroup."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def plot_result(result: Mapping[str, Any], path: str) -> None:
    """Three panels from the result card's summary (mean ± std over seeds)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = result["summary"]
    methods = list(result.get("methods") or [])
    mults = [float(x) for x in result["config"].get("eval_eps_mults", [1.0])]

    def key(mult: float) -> str:
        return "" if mult == 1.0 else f"_{mult:g}x"

    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    for col, (ax, prefix, title) in enumerate(
        zip(
            axes[:2],
            ("asr_emb", "worst_group_asr_emb"),
            ("ASR (embedding attack)", "worst-subgroup ASR"),
            strict=True,
        )
    ):
        for m in methods:
            ks = [f"{m}/{prefix}{key(x)}" for x in mults]
            if all(k in s for k in ks):
                ax.errorbar(
                    mults,
                    [s[k]["mean"] for k in ks],
                    yerr=[s[k]["std"] for k in ks],
                    marker="o",
                    label=m,
                    capsize=3,
                )
        ax.set_xlabel("evaluation ε / training ε")
        ax.set_ylabel("%")
        ax.set_title(title, fontsize=10)
        if col == 0:
            ax.legend(fontsize=8)
    ax = axes[2]
    trained = [m for m in methods if f"{m}/weight_A" in s]
    width = 0.8 / max(len(trained), 1)
    for j, m in enumerate(trained):
        vals = [s[f"{m}/weight_{grp}"]["mean"] for grp in "ABC"]
        errs = [s[f"{m}/weight_{grp}"]["std"] for grp in "ABC"]
        ax.bar([i + j * width for i in range(3)], vals, width, yerr=errs, label=m, capsize=2)
    ax.axhline(1.0, color="k", lw=0.8, ls="--")
    ax.set_xticks([i + 0.4 - width / 2 for i in range(3)], ["A (60%)", "B (30%)", "C (10%)"])
    ax.set_title("mean DRO weight n·q per harmful subgroup", fontsize=10)
    if trained:
        ax.legend(fontsize=8)
    fig.suptitle(f"{result['paper']} ({result['scale']}, {len(result['seeds'])} seeds)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
