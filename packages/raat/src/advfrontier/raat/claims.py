"""A claim check of the paper's motivating finding: r moves clean accuracy more than robust accuracy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import mean

from advfrontier.shared.claims import Claim, ClaimResult


def _span(per_seed: Sequence[Mapping[str, float]], methods: Sequence[str], metric: str) -> float:
    means = [mean(m[f"{k}/{metric}"] for m in per_seed) for k in methods]
    return max(means) - min(means)


@dataclass(frozen=True)
class MovesMore(Claim):
    """Over ``methods`` (a sweep), the range of mean(a) exceeds ``factor`` × the range of mean(b)."""

    methods: tuple[str, ...] = ()
    a: str = "clean_acc"
    b: str = "pgd20_acc"
    factor: float = 2.0

    def statement(self) -> str:
        return f"range of {self.a} over {{{', '.join(self.methods)}}} > {self.factor:g} × range of {self.b}"

    def check(self, per_seed: Sequence[Mapping[str, float]]) -> ClaimResult:
        span_a = _span(per_seed, self.methods, self.a)
        span_b = _span(per_seed, self.methods, self.b)
        held = span_a > self.factor * span_b
        detail = (
            f"range {self.a} {span_a:.4f} vs range {self.b} {span_b:.4f} "
            f"(×{self.factor:g} = {self.factor * span_b:.4f})"
        )
        return ClaimResult(self.name, self.statement(), held, detail)
