"""A claim check of the paper's motivating finding: r moves clean accuracy more than robust accuracy."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.claims import Claim, PerSeed


def _span(m: dict[str, float] | object, methods: tuple[str, ...], metric: str) -> float:
    vals = [m[f"{k}/{metric}"] for k in methods]  # type: ignore[index]
    return max(vals) - min(vals)


@dataclass(frozen=True)
class MovesMore(Claim):
    """Over ``methods`` (a sweep), the per-seed range of ``a`` exceeds ``factor`` × the range of ``b``.

    Judged on the per-seed numbers x_i = range_i(a) − factor · range_i(b) > 0 (paired t).
    """

    methods: tuple[str, ...] = ()
    a: str = "clean_acc"
    b: str = "pgd20_acc"
    factor: float = 2.0

    def metrics(self) -> tuple[str, ...]:
        return tuple(f"{k}/{c}" for k in self.methods for c in (self.a, self.b))

    def statement(self) -> str:
        return f"range of {self.a} over {{{', '.join(self.methods)}}} > {self.factor:g} × range of {self.b}"

    def sample(self, per_seed: PerSeed) -> list[float]:
        return [
            _span(m, self.methods, self.a) - self.factor * _span(m, self.methods, self.b) for m in per_seed
        ]

    def example(self, supporting: bool, n: int = 5) -> list[dict[str, float]]:
        out = []
        for i in range(n):
            m: dict[str, float] = {}
            for j, k in enumerate(self.methods):
                m[f"{k}/{self.a}"] = 80.0 + (10.0 * j if supporting else 0.1 * j) + 0.01 * i
                m[f"{k}/{self.b}"] = 40.0 + (0.1 * j if supporting else 10.0 * j)
            out.append(m)
        return out
