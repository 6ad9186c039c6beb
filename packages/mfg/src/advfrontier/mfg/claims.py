"""A claim on a ratio of means over seeds: mean(high) / mean(low) ≤ ratio, judged per seed.

The paper reports means over runs (RE₁ at d = 1000 over RE₁ at d = 1: 1.68e-2 / 4.05e-3 ≈ 4.1). A mean of
per-seed ratios is inflated by small denominators; the ratio of the means is what the paper's table gives.
Since mean(high) / mean(low) ≤ R ⟺ mean(R·low − high) ≥ 0 when mean(low) > 0, the claim is judged on the
per-seed numbers x_i = R·low_i − high_i with the engine's paired one-sided t test (held when the 95 % lower
bound of mean(x) is above 0): exactly the ratio of means, with the seeds' pairing kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.claims import Claim, PerSeed


@dataclass(frozen=True)
class RatioAtMost(Claim):
    """mean over seeds of ``high`` ≤ ``ratio`` × mean over seeds of ``low`` (both positive metrics)."""

    high: str = ""
    low: str = ""
    ratio: float = 1.0

    def metrics(self) -> tuple[str, ...]:
        return (self.high, self.low)

    def statement(self) -> str:
        r = f"{self.ratio:.3g}"
        return f"mean({self.high}) / mean({self.low}) ≤ {r} (as mean({r}·low − high) > 0)"

    def sample(self, per_seed: PerSeed) -> list[float]:
        return [self.ratio * m[self.low] - m[self.high] for m in per_seed]

    def example(self, supporting: bool, n: int = 5) -> list[dict[str, float]]:
        factor = 0.5 * self.ratio if supporting else 2.0 * self.ratio
        lows = [0.01 + 0.001 * i for i in range(n)]
        return [{self.low: lo, self.high: factor * lo * (1 + 0.01 * i)} for i, lo in enumerate(lows)]
