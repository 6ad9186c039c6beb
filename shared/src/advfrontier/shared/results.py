"""The result card: one JSON per paper and scale, written by a run and read by tables and diffs.

Schema ``advfrontier.result/2``::

    {schema, paper, title, citation, claim, scale, seeds, config, environment (with cost),
     per_seed: [{seed, metrics: {"method/metric": float}}],
     summary: {"method/metric": {mean, std, n}},
     reported: [{method, metric, value, source, setting}],
     claims: [{name, statement, wording, source, headline, verdict, test, n, mean_diff, lower, upper,
               p, bound, detail}],
     facts: [{name, metric, value, std, unit, note}],
     tolerances: {pattern: abs}, default_tolerance, methods, columns, notes, created}

``verdict`` is one of held / inconclusive / contradicted / not measured (see :mod:`claims`).
Cards of schema 1 (a boolean ``held``) are still read, their verdicts marked as from the old engine.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean, stdev
from typing import Any

from advfrontier.shared.claims import NOT_MEASURED, VERDICTS, Claim, ClaimResult
from advfrontier.shared.config import config_to_dict
from advfrontier.shared.paper import Metrics, Paper

SCHEMA = "advfrontier.result/2"
OLD_SCHEMAS = ("advfrontier.result/1",)


def summarize(per_seed: Sequence[Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Mean and sample std (0 for one seed) of every metric over seeds."""
    keys: list[str] = []
    for m in per_seed:
        keys += [k for k in m if k not in keys]
    out: dict[str, dict[str, float]] = {}
    for k in keys:
        vals = [float(m[k]) for m in per_seed if k in m]
        out[k] = {"mean": mean(vals), "std": stdev(vals) if len(vals) > 1 else 0.0, "n": len(vals)}
    return out


def check_metrics(metrics: Mapping[str, Any], where: str) -> Metrics:
    """Metrics must be a flat map of "method/metric" to finite floats."""
    out: Metrics = {}
    for k, v in metrics.items():
        if not isinstance(k, str) or "/" not in k:
            raise ValueError(f"{where}: metric key {k!r} must look like 'method/metric'")
        fv = float(v)
        if not math.isfinite(fv):
            raise ValueError(f"{where}: metric {k} is {fv}")
        out[k] = fv
    return out


def _check(claim: Claim, per_seed: Sequence[Metrics]) -> ClaimResult:
    """A claim whose metrics a scale does not measure is reported as not measured."""
    try:
        return claim.check(per_seed)
    except KeyError as err:
        return ClaimResult(claim.name, claim.statement(), NOT_MEASURED, f"not measured at this scale ({err})")


def judge(paper: Paper, per_seed: Sequence[Metrics]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The claims' verdicts and the facts' values for these per-seed metrics."""
    claims = [asdict(_check(c, per_seed)) for c in paper.claims]
    facts = [f.value(per_seed) for f in paper.facts]
    return claims, facts


def verdict_counts(claims: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for c in claims:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
    return counts


def build_result(
    paper: Paper, config: Any, seeds: Sequence[int], per_seed: Sequence[Metrics], environment: dict[str, Any]
) -> dict[str, Any]:
    """Assemble the result card from per-seed metrics."""
    claims, facts = judge(paper, per_seed)
    return {
        "schema": SCHEMA,
        "paper": paper.slug,
        "title": paper.title,
        "citation": paper.citation,
        "claim": paper.claim,
        "scale": config.scale,
        "seeds": list(seeds),
        "config": config_to_dict(config),
        "environment": environment,
        "per_seed": [{"seed": s, "metrics": m} for s, m in zip(seeds, per_seed, strict=True)],
        "summary": summarize(per_seed),
        "reported": [asdict(r) for r in paper.reported],
        "claims": claims,
        "facts": facts,
        "tolerances": dict(paper.tolerances),
        "default_tolerance": paper.default_tolerance,
        "methods": list(paper.methods),
        "columns": list(paper.columns),
        "notes": paper.notes,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_result(result: Mapping[str, Any], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, sort_keys=False, ensure_ascii=False) + "\n")
    return path


def read_result(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no result file at {path}")
    if path.is_dir():
        raise ValueError(f"{path} is a folder; give a result file such as {path / 'mini.json'}")
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"{path} is not valid JSON ({err}); is it a result card?") from err
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a result card (not a JSON object)")
    schema = data.get("schema")
    if schema in OLD_SCHEMAS:
        for c in data.get("claims", []):
            c.setdefault("verdict", {True: "held", False: "inconclusive", None: NOT_MEASURED}[c.get("held")])
            c["detail"] = c.get("detail", "") + " (old engine: rejudge with `advfrontier rejudge`)"
        data.setdefault("facts", [])
    elif schema != SCHEMA:
        raise ValueError(f"{path}: schema {schema!r}, expected {SCHEMA!r}; not a result card?")
    for key in ("paper", "scale", "seeds", "summary", "per_seed"):
        if key not in data:
            raise ValueError(f"{path}: result card without {key!r}; was it written by advfrontier?")
    return data
