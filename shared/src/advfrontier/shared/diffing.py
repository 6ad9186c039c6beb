"""Compare a fresh result with the committed expectation, metric by metric (detectron2-style).

Tolerances are absolute, declared by the paper per metric as fnmatch patterns; the most specific
(longest) matching pattern wins, else the paper's default tolerance. At ``smoke`` scale the tolerance is
all (a determinism check). At any other scale a metric drifts when |Δ mean| exceeds
max(tolerance, 2 × the standard error of the difference of the two means): seeds are noisy there.
A verdict that flips between held and contradicted is drift; a change to or from inconclusive is
reported but is not an error.
"""

from __future__ import annotations

import fnmatch
import math
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
    allowed: float = 0.0
    """What was allowed: the tolerance, or 2 × SE of the difference where that is larger."""


def tolerance_for(metric: str, tolerances: Mapping[str, float], default: float) -> float:
    matches = [p for p in tolerances if fnmatch.fnmatchcase(metric, p)]
    return float(tolerances[max(matches, key=len)]) if matches else float(default)


class PapersDifferError(ValueError):
    """The two cards are of different papers or scales: a metric diff would mean nothing."""


def _se(s: Mapping[str, Any] | None) -> float:
    if not s or not s.get("n"):
        return 0.0
    return float(s.get("std", 0.0)) / math.sqrt(float(s["n"]))


def compare(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> tuple[list[Row], list[str], list[str]]:
    """Rows for every metric, problems (drift) and notes (reported, not errors)."""
    for field in ("paper", "scale"):
        if expected.get(field) != actual.get(field):
            raise PapersDifferError(
                f"the cards are of different {field}s ({expected.get(field)!r} vs {actual.get(field)!r}); "
                "nothing to compare"
            )
    problems: list[str] = []
    notes: list[str] = []
    if expected.get("seeds") != actual.get("seeds"):
        problems.append(f"seeds differ: expected {expected.get('seeds')!r}, got {actual.get('seeds')!r}")
    # tolerances belong to the paper's code: a fresh card's (current) patterns extend the committed ones
    tols = {**(expected.get("tolerances") or {}), **(actual.get("tolerances") or {})}
    default = float(expected.get("default_tolerance", 0.0))
    noisy = expected.get("scale") != "smoke"
    es, acts = expected["summary"], actual["summary"]
    rows = []
    for key in list(es) + [k for k in acts if k not in es]:
        e = es.get(key, {}).get("mean")
        a = acts.get(key, {}).get("mean")
        tol = tolerance_for(key, tols, default)
        allowed = max(tol, 2.0 * math.hypot(_se(es.get(key)), _se(acts.get(key)))) if noisy else tol
        ok = e is not None and a is not None and abs(a - e) <= allowed
        rows.append(Row(key, e, a, tol, ok, allowed))
    everdict = {c["name"]: c.get("verdict") for c in expected.get("claims", [])}
    for c in actual.get("claims", []):
        before, now = everdict.get(c["name"]), c.get("verdict")
        if c["name"] not in everdict or before == now:
            continue
        msg = f"claim {c['name']!r}: {before} → {now}"
        if {before, now} == {"held", "contradicted"}:
            problems.append(msg)
        else:
            notes.append(msg)
    return rows, problems, notes


def report(rows: list[Row], problems: list[str], notes: list[str] | None = None) -> str:
    """A readable diff: expected vs actual vs Δ against the tolerance."""
    width = max([len(r.metric) for r in rows] + [6])
    lines = [f"{'metric':<{width}}  {'expected':>10}  {'actual':>10}  {'Δ':>10}  {'allowed':>8}  status"]
    for r in rows:
        e = "missing" if r.expected is None else fmt(r.expected)
        a = "missing" if r.actual is None else fmt(r.actual)
        d = "" if r.expected is None or r.actual is None else f"{r.actual - r.expected:+.2e}"
        lines.append(
            f"{r.metric:<{width}}  {e:>10}  {a:>10}  {d:>10}  {max(r.allowed, r.tolerance):>8.2g}  "
            + ("ok" if r.ok else "DRIFT")
        )
    lines += [f"! {p}" for p in problems]
    lines += [f"note: {n}" for n in notes or []]
    bad = sum(not r.ok for r in rows) + len(problems)
    lines.append(f"{len(rows)} metrics compared, {bad} problem(s)")
    return "\n".join(lines)
