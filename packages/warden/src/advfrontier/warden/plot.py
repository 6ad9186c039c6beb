"""The miniature's figure: validation ASR vs over-refusal curves of the knob sweeps, ASR against the
evaluation ε, worst-group ASR, and the DRO weights per subgroup."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def plot_result(result: Mapping[str, Any], path: str) -> None:
    """Four panels from the result card's summary (mean ± std over seeds)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = result["summary"]
    methods = list(result.get("methods") or [])
    mults = [float(x) for x in result["config"].get("eval_eps_mults", [1.0])]

    colour = {m: f"C{i}" for i, m in enumerate(methods)}  # one colour per method in every panel

    def key(mult: float) -> str:
        return "" if mult == 1.0 else f"_{mult:g}x"

    fig, axes = plt.subplots(1, 4, figsize=(16, 3.4))
    _curves(axes[0], s, methods, result["config"], colour)
    axes = axes[1:]
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
                    color=colour[m],
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
        ax.bar([i + j * width for i in range(3)], vals, width, yerr=errs, label=m, capsize=2, color=colour[m])
    ax.axhline(1.0, color="k", lw=0.8, ls="--")
    ax.set_xticks([i + 0.4 - width / 2 for i in range(3)], ["A (60%)", "B (30%)", "C (10%)"])
    ax.set_title("mean DRO weight n·q per harmful subgroup", fontsize=10)
    if trained:
        ax.legend(fontsize=8)
    fig.suptitle(f"{result['paper']} ({result['scale']}, {len(result['seeds'])} seeds)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _curves(
    ax: Any, s: Mapping[str, Any], methods: list[str], config: Mapping[str, Any], colour: Mapping[str, str]
) -> None:
    """Validation worst-subgroup ASR (mini: mean of 1× and 2× ε; real: 1×) against validation over-refusal,
    one point per swept knob value (mean over seeds), and the target over-refusal level."""
    grids = {"cat": "cat_grid", "warden_kl": "kl_grid", "warden_chi2": "chi2_grid"}
    for m in methods:
        grid = list(config.get(grids.get(m, ""), []) or [])
        pts = [
            (s[f"{m}/val{i}_over_refusal"]["mean"], s[f"{m}/val{i}_worst_asr"]["mean"], v)
            for i, v in enumerate(grid)
            if f"{m}/val{i}_over_refusal" in s
        ]
        if pts:
            line = ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=m, color=colour[m])[0]
            for x, y, v in pts:
                ax.annotate(f"{v:g}", (x, y), fontsize=6, color=line.get_color())
    target = config.get("target_over_refusal")
    if target is None and "cat/val_target_over_refusal" in s:
        target = s["cat/val_target_over_refusal"]["mean"]
    if target is not None and float(target) < 100:
        ax.axvline(float(target), color="k", lw=0.8, ls="--")
    ax.set_xlabel("validation over-refusal (%)")
    ax.set_ylabel("validation worst-subgroup ASR (%)")
    ax.set_title("knob sweeps (CAT: w_util, WARDEN: radius)", fontsize=10)
    if ax.lines:
        ax.legend(fontsize=8)
