"""Compare a fresh result with the committed expectation, metric by metric (detectron2-style).

Tolerances are absolute, declared by the paper per metric as fnmatch patterns; the most specific
(longest) matching pattern wins, else the paper's default tolerance.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advfrontier.shared.render import fmt


@dataclass(frozen=True)
class Row:
    metric: str
    expected: float | None
    actual: float | None
    tolerance: float
    ok: bool


def tolerance_for(metric: str, tolerances: Mapping[str, float], default: float) -> float:
    matches = [p for p in tolerances if fnmatch.fnmatchcase(metric, p)]
    return float(tolerances[max(matches, key=len)]) if matches else float(default)


def compare(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> tuple[list[Row], list[str]]:
    """Rows for every metric plus a list of other problems (seeds, scale, claims)."""
    problems: list[str] = []
    for field in ("paper", "scale", "seeds"):
        if expected.get(field) != actual.get(field):
            problems.append(f"{field} differs: expected {expected.get(field)!r}, got {actual.get(field)!r}")
    tols = expected.get("tolerances") or {}
    default = float(expected.get("default_tolerance", 0.0))
    es, acts = expected["summary"], actual["summary"]
    rows = []
    for key in list(es) + [k for k in acts if k not in es]:
        e = es.get(key, {}).get("mean")
        a = acts.get(key, {}).get("mean")
        tol = tolerance_for(key, tols, default)
        ok = e is not None and a is not None and abs(a - e) <= tol
        rows.append(Row(key, e, a, tol, ok))
    eclaims = {c["name"]: c["held"] for c in expected.get("claims", [])}
    for c in actual.get("claims", []):
        if c["name"] in eclaims and eclaims[c["name"]] != c["held"]:
            problems.append(f"claim {c['name']!r}: expected held={eclaims[c['name']]}, got held={c['held']}")
    return rows, problems


def report(rows: list[Row], problems: list[str]) -> str:
    """A readable diff: expected vs actual vs Δ against the tolerance."""
    width = max([len(r.metric) for r in rows] + [6])
    lines = [f"{'metric':<{width}}  {'expected':>10}  {'actual':>10}  {'Δ':>10}  {'tol':>8}  status"]
    for r in rows:
        e = "missing" if r.expected is None else fmt(r.expected)
        a = "missing" if r.actual is None else fmt(r.actual)
        d = "" if r.expected is None or r.actual is None else f"{r.actual - r.expected:+.2e}"
        lines.append(
            f"{r.metric:<{width}}  {e:>10}  {a:>10}  {d:>10}  {r.tolerance:>8.2g}  "
            + ("ok" if r.ok else "DRIFT")
        )
    lines += [f"! {p}" for p in problems]
    bad = sum(not r.ok for r in rows) + len(problems)
    lines.append(f"{len(rows)} metrics compared, {bad} problem(s)")
    return "\n".join(lines)
