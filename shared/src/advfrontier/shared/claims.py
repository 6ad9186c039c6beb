"""Claim checks evaluated on per-seed metrics: does the paper's claim hold in this run?

Each check compares means over seeds and states the noise it allows, so a table can say
"held" or "not reproduced" with the numbers behind it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import mean, stdev


def _stats(per_seed: Sequence[Mapping[str, float]], key: str) -> tuple[float, float]:
    values = [m[key] for m in per_seed if key in m]
    if not values:
        raise KeyError(f"no seed has metric {key!r}")
    return mean(values), (stdev(values) if len(values) > 1 else 0.0)


@dataclass(frozen=True)
class ClaimResult:
    name: str
    statement: str
    held: bool | None
    """None: the scale does not measure the claim's metrics."""
    detail: str


@dataclass(frozen=True)
class Claim:
    """Base class: ``check(per_seed) -> ClaimResult``."""

    name: str

    def statement(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def check(self, per_seed: Sequence[Mapping[str, float]]) -> ClaimResult:  # pragma: no cover
        raise NotImplementedError


@dataclass(frozen=True)
class Greater(Claim):
    """mean(a) - mean(b) > margin."""

    a: str = ""
    b: str = ""
    margin: float = 0.0

    def statement(self) -> str:
        extra = f" + {self.margin:g}" if self.margin else ""
        return f"{self.a} > {self.b}{extra}"

    def check(self, per_seed: Sequence[Mapping[str, float]]) -> ClaimResult:
        ma, sa = _stats(per_seed, self.a)
        mb, sb = _stats(per_seed, self.b)
        held = ma - mb > self.margin
        detail = f"{ma:.4f}±{sa:.4f} vs {mb:.4f}±{sb:.4f} (Δ={ma - mb:+.4f})"
        return ClaimResult(self.name, self.statement(), held, detail)


@dataclass(frozen=True)
class NotLower(Claim):
    """mean(a) >= mean(b) - k·noise, noise = sqrt((sa² + sb²)/2): "no lower beyond seed noise"."""

    a: str = ""
    b: str = ""
    k: float = 1.0
    floor: float = 0.0
    """Smallest noise allowed (an absolute slack), so one seed is not judged too strictly."""

    def statement(self) -> str:
        return f"{self.a} ≥ {self.b} − {self.k:g}·noise"

    def check(self, per_seed: Sequence[Mapping[str, float]]) -> ClaimResult:
        ma, sa = _stats(per_seed, self.a)
        mb, sb = _stats(per_seed, self.b)
        noise = max(math.sqrt((sa**2 + sb**2) / 2), self.floor)
        held = ma >= mb - self.k * noise
        detail = f"{ma:.4f}±{sa:.4f} vs {mb:.4f}±{sb:.4f} (Δ={ma - mb:+.4f}, allowed −{self.k * noise:.4f})"
        return ClaimResult(self.name, self.statement(), held, detail)


@dataclass(frozen=True)
class AtLeast(Claim):
    """mean(a) >= threshold."""

    a: str = ""
    threshold: float = 0.0

    def statement(self) -> str:
        return f"{self.a} ≥ {self.threshold:g}"

    def check(self, per_seed: Sequence[Mapping[str, float]]) -> ClaimResult:
        ma, sa = _stats(per_seed, self.a)
        return ClaimResult(self.name, self.statement(), ma >= self.threshold, f"{ma:.4f}±{sa:.4f}")


@dataclass(frozen=True)
class AtMost(Claim):
    """mean(a) <= threshold."""

    a: str = ""
    threshold: float = 0.0

    def statement(self) -> str:
        return f"{self.a} ≤ {self.threshold:g}"

    def check(self, per_seed: Sequence[Mapping[str, float]]) -> ClaimResult:
        ma, sa = _stats(per_seed, self.a)
        return ClaimResult(self.name, self.statement(), ma <= self.threshold, f"{ma:.4f}±{sa:.4f}")
