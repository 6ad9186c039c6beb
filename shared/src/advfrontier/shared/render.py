"""Markdown tables and plots rendered from result JSON: tables are never typed by hand."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

BEGIN = "<!-- results:begin -->"
END = "<!-- results:end -->"
PAPERS_BEGIN = "<!-- papers:begin -->"
PAPERS_END = "<!-- papers:end -->"


def fmt(x: float) -> str:
    """Three significant figures, fixed-point where that reads better."""
    ax = abs(x)
    if ax == 0:
        return "0"
    if ax >= 100:
        return f"{x:.1f}"
    if ax >= 1:
        return f"{x:.2f}"
    if ax >= 1e-3:
        return f"{x:.3f}"
    return f"{x:.2e}"


def _split(key: str) -> tuple[str, str]:
    method, _, metric = key.partition("/")
    return method, metric


def _order(result: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    methods = list(result.get("methods") or [])
    columns = list(result.get("columns") or [])
    for key in result["summary"]:
        m, c = _split(key)
        if m not in methods:
            methods.append(m)
        if c not in columns:
            columns.append(c)
    return methods, columns


def metrics_table(result: Mapping[str, Any]) -> str:
    """Methods as rows, metrics as columns, each cell mean ± std over seeds."""
    methods, columns = _order(result)
    summary = result["summary"]
    lines = ["| method | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for m in methods:
        cells = []
        for c in columns:
            s = summary.get(f"{m}/{c}")
            cells.append("—" if s is None else f"{fmt(s['mean'])} ± {fmt(s['std'])}")
        if any(c != "—" for c in cells):
            lines.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def reported_table(result: Mapping[str, Any]) -> str:
    """The paper's own numbers (labelled as reported) beside ours at this scale."""
    rows = result.get("reported") or []
    if not rows:
        return ""
    scale = result["scale"]
    lines = [
        f"| method | metric | reported by the paper | ours ({scale} scale) | source | paper's setting |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        s = result["summary"].get(f"{r['method']}/{r['metric']}")
        ours = "—" if s is None else f"{fmt(s['mean'])} ± {fmt(s['std'])}"
        lines.append(
            f"| {r['method']} | {r['metric']} | {fmt(r['value'])} (reported) | {ours} | {r['source']} "
            f"| {r.get('setting', '')} |"
        )
    return "\n".join(lines)


def _verdict(c: Mapping[str, Any]) -> str:
    v = c.get("verdict", "not measured")
    return {"held": "held", "contradicted": "**contradicted**", "inconclusive": "*inconclusive*"}.get(v, v)


def _num(x: Any) -> str:
    return "—" if x is None else fmt(float(x))


def claims_table(result: Mapping[str, Any]) -> str:
    """Per claim: the paper's wording and source, the check, n, the mean difference with its one-sided
    95 % bounds, the one-sided p-value and the verdict."""
    rows = result.get("claims") or []
    if not rows:
        return ""
    lines = [
        "| claim | paper's wording (source) | check | n | mean Δ [95 % bounds] | p | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in rows:
        name = f"**{c['name']}** (headline)" if c.get("headline") else c["name"]
        said = c.get("wording") or ""
        if c.get("source"):
            said = f"{said} ({c['source']})" if said else f"({c['source']})"
        if c.get("mean_diff") is None:
            nums, p = c.get("detail", ""), "—"
        else:
            nums = f"{_num(c['mean_diff'])} [{_num(c.get('lower'))}, {_num(c.get('upper'))}]"
            p = "—" if c.get("p") is None else f"{c['p']:.2g}"
        n = c.get("n", 0)
        lines.append(f"| {name} | {said or '—'} | `{c['statement']}` | {n} | {nums} | {p} | {_verdict(c)} |")
    return "\n".join(lines)


def facts_table(result: Mapping[str, Any]) -> str:
    """Numbers that cannot fail, kept apart from the claims."""
    rows = result.get("facts") or []
    if not rows:
        return ""
    lines = ["| fact | value | note |", "|---|---|---|"]
    for f in rows:
        v = "—" if f.get("value") is None else f"{fmt(f['value'])} {f.get('unit', '')}".strip()
        lines.append(f"| {f['name']} | {v} | {f.get('note', '')} |")
    return "\n".join(lines)


def cost_line(result: Mapping[str, Any]) -> str:
    cost = result["environment"].get("cost")
    if not cost:
        return "Cost: not recorded (card made before costs were recorded)."
    per = cost.get("wall_s_per_seed") or []
    return (
        f"Cost: {cost['wall_s_total'] / 60:.1f} min wall in total, "
        f"{(sum(per) / len(per) if per else 0) / 60:.1f} min per seed, peak memory "
        f"{cost['peak_rss_mib']:.0f} MiB, {cost['device']}, {cost['threads']} thread(s) per seed, "
        f"{cost.get('parallel_seed_jobs', 1)} seed(s) in parallel."
    )


def verdict_summary(result: Mapping[str, Any]) -> str:
    """e.g. "2 held, 1 inconclusive, 0 contradicted (of 3)"."""
    claims = [c for c in result.get("claims") or [] if c.get("verdict") != "not measured"]
    n = {v: sum(c.get("verdict") == v for c in claims) for v in ("held", "inconclusive", "contradicted")}
    return f"{n['held']} held, {n['inconclusive']} inconclusive, {n['contradicted']} contradicted"


def result_markdown(result: Mapping[str, Any], heading_level: int = 3, image: str | None = None) -> str:
    """The full block for one result: metrics, reported numbers, claims, provenance."""
    h = "#" * heading_level
    env = result["environment"]
    cfg = result["config"]
    seeds = result["seeds"]
    parts = [
        f"{h} {result['paper']} — `{result['scale']}` scale",
        f"Mean ± std over {len(seeds)} seed(s) {seeds}; torch {env['libraries'].get('torch', '?')}, "
        f"{env['torch_threads']} thread(s), {env['device']}, commit `{env['git_commit'][:12]}`.",
        metrics_table(result),
        cost_line(result),
    ]
    if rep := reported_table(result):
        parts += ["Paper-reported numbers (from the paper, not from our runs):", rep]
    if cl := claims_table(result):
        parts += [
            f"Claims ({verdict_summary(result)}; paired one-sided 95 % bounds over seeds, "
            "rules in the shared README, section Verdicts):",
            cl,
        ]
    if ft := facts_table(result):
        parts += ["Facts (numbers that cannot fail, not claims):", ft]
    if image:
        parts.append(f"![{result['paper']} {result['scale']}]({image})")
    if result.get("notes"):
        parts.append(result["notes"])
    if "threat_model" in cfg:
        parts.append(f"Threat model: {cfg['threat_model']}.")
    return "\n\n".join(parts) + "\n"


def splice(text: str, block: str, begin: str = BEGIN, end: str = END) -> str:
    """Replace what stands between the two markers in ``text`` with ``block`` (append them if absent)."""
    if begin not in text or end not in text:
        return text.rstrip() + f"\n\n## Results\n\n{begin}\n{block}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{block}\n{end}{tail}"


def bar_plot(result: Mapping[str, Any], path: str | Path) -> Path:
    """Default figure: one panel per metric, a bar per method with the std over seeds."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    methods, columns = _order(result)
    summary = result["summary"]
    # a metric no method measured at this scale gets no (empty) panel
    columns = [c for c in columns if any(f"{m}/{c}" in summary for m in methods)] or columns
    fig, axes = plt.subplots(1, len(columns), figsize=(max(3.0, 2.6 * len(columns)), 3.2), squeeze=False)
    for ax, c in zip(axes[0], columns, strict=True):
        ms = [m for m in methods if f"{m}/{c}" in summary]
        ax.bar(
            range(len(ms)),
            [summary[f"{m}/{c}"]["mean"] for m in ms],
            yerr=[summary[f"{m}/{c}"]["std"] for m in ms],
            color="tab:blue",
            capsize=3,
        )
        ax.set_xticks(range(len(ms)), ms, rotation=45, ha="right", fontsize=8)
        ax.set_title(c, fontsize=9)
    fig.suptitle(f"{result['paper']} ({result['scale']}, {len(result['seeds'])} seeds)", fontsize=10)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
