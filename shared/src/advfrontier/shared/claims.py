"""Claim checks on paired per-seed numbers, with three verdicts: held, inconclusive, contradicted.

Seeds are paired: each seed fixes the split and the initialisation for every method, so a comparison
works on per-seed differences d_i. Every check reduces the per-seed metrics to a sample x_i and a bound
b, and the claim reads "E[x] > b" (superiority, threshold) or "E[x] ≥ b" (non-inferiority). With the
Student t distribution on n − 1 degrees of freedom and the one-sided 95 % bounds
``lower = mean − t₀.₉₅·se`` and ``upper = mean + t₀.₉₅·se``:

* ``held`` when ``lower`` clears b (p < 0.05 for H₁: E[x] > b),
* ``contradicted`` when ``upper`` falls below b (the opposite at the same confidence),
* ``inconclusive`` otherwise, and always with fewer than 3 seeds,
* ``not measured`` when the scale does not measure the claim's metrics.

Non-inferiority margins δ are fixed numbers taken from the paper's wording, never scaled by noise.
Unpaired comparisons (different data per row) use Welch's t and say so. Every claim can produce
per-seed numbers that support it and numbers that contradict it (:meth:`Claim.example`), which the
generic test feeds back through :meth:`Claim.check`: a claim that cannot fail is a :class:`Fact`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from statistics import mean, stdev

HELD = "held"
INCONCLUSIVE = "inconclusive"
CONTRADICTED = "contradicted"
NOT_MEASURED = "not measured"
VERDICTS = (HELD, INCONCLUSIVE, CONTRADICTED, NOT_MEASURED)
MIN_SEEDS = 3
"""A verdict never rests on fewer seeds than this."""
CONFIDENCE = 0.95

PerSeed = Sequence[Mapping[str, float]]


def t_quantile(q: float, df: float) -> float:
    """Student t quantile (scipy when available; a Cornish-Fisher expansion otherwise)."""
    try:
        from scipy.stats import t

        return float(t.ppf(q, df))
    except ImportError:  # pragma: no cover - scipy is present wherever torch/sklearn are
        from statistics import NormalDist

        z = NormalDist().inv_cdf(q)
        g1 = (z**3 + z) / 4
        g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
        g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
        return z + g1 / df + g2 / df**2 + g3 / df**3


def t_sf(x: float, df: float) -> float:
    """P(T ≥ x) for Student t with ``df`` degrees of freedom."""
    from scipy.stats import t

    return float(t.sf(x, df))


@dataclass(frozen=True)
class TestStats:
    """A one-sided t test of "E[x] > bound" on a sample (or a Welch difference)."""

    n: int
    mean: float
    """Mean of the sample: the mean (paired) difference, or the mean value for a threshold."""
    se: float
    df: float
    lower: float
    """One-sided 95 % lower bound of the mean."""
    upper: float
    """One-sided 95 % upper bound of the mean."""
    p: float
    """One-sided p-value of H₁: E[x] > bound."""


def one_sided(mean_: float, se: float, df: float, n: int, bound: float) -> TestStats:
    if n < 2 or not math.isfinite(se):
        return TestStats(n, mean_, math.inf, df, -math.inf, math.inf, 1.0)
    if se == 0.0:  # every seed gives the same number: the bounds are the mean itself
        p = 0.0 if mean_ > bound else (1.0 if mean_ < bound else 0.5)
        return TestStats(n, mean_, 0.0, df, mean_, mean_, p)
    tq = t_quantile(CONFIDENCE, df)
    return TestStats(n, mean_, se, df, mean_ - tq * se, mean_ + tq * se, t_sf((mean_ - bound) / se, df))


def paired_stats(x: Sequence[float], bound: float) -> TestStats:
    n = len(x)
    m = mean(x) if x else math.nan
    se = stdev(x) / math.sqrt(n) if n > 1 else math.inf
    return one_sided(m, se, n - 1, n, bound)


def welch_stats(a: Sequence[float], b: Sequence[float], bound: float) -> TestStats:
    """Welch's t on mean(a) − mean(b) with Welch–Satterthwaite degrees of freedom."""
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return one_sided(mean(a) - mean(b), math.inf, 1, min(na, nb), bound)
    va, vb = stdev(a) ** 2 / na, stdev(b) ** 2 / nb
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1)) if se > 0 else na + nb - 2
    return one_sided(mean(a) - mean(b), se, df, min(na, nb), bound)


def decide(stats: TestStats, bound: float, inclusive: bool) -> str:
    """held / contradicted / inconclusive from the one-sided bounds against ``bound``."""
    if stats.n < MIN_SEEDS:
        return INCONCLUSIVE
    clears = stats.lower >= bound if inclusive else stats.lower > bound
    if clears:
        return HELD
    if stats.upper < bound:
        return CONTRADICTED
    return INCONCLUSIVE


@dataclass(frozen=True)
class ClaimResult:
    name: str
    statement: str
    verdict: str
    detail: str
    test: str = ""
    """Which test: "paired t", "Welch t (unpaired)", "one-sample t"."""
    n: int = 0
    mean_diff: float | None = None
    """Mean paired difference (or mean value minus nothing, for a threshold: the mean value)."""
    lower: float | None = None
    """One-sided 95 % lower bound of ``mean_diff``."""
    upper: float | None = None
    """One-sided 95 % upper bound of ``mean_diff``."""
    p: float | None = None
    """One-sided p-value in the claim's direction."""
    bound: float | None = None
    """What the bounds are judged against (−δ, the margin, or the threshold)."""
    wording: str = ""
    source: str = ""
    headline: bool = False

    @property
    def held(self) -> bool:
        return self.verdict == HELD


def _fin(x: float) -> float | None:
    return x if math.isfinite(x) else None


@dataclass(frozen=True)
class Claim:
    """Base class. Subclasses define :meth:`metrics`, :meth:`statement`, :meth:`sample` and
    :meth:`example`; the verdict logic is here."""

    name: str
    _: KW_ONLY
    wording: str = ""
    """The paper's own wording of the claim."""
    source: str = ""
    """Where the paper says it (table, section, abstract)."""
    headline: bool = False
    """The claim of the paper's abstract."""
    inclusive: bool = field(default=False, repr=False)
    """Held when the lower bound reaches the bound (non-inferiority) rather than exceeds it."""

    def metrics(self) -> tuple[str, ...]:  # pragma: no cover - overridden
        raise NotImplementedError

    def statement(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def bound(self) -> float:
        """The claim reads "E[x] > bound" (or ≥ when ``inclusive``)."""
        return 0.0

    def sample(self, per_seed: PerSeed) -> list[float]:  # pragma: no cover - overridden
        """The per-seed numbers x_i the claim is about (oriented so that larger supports it)."""
        raise NotImplementedError

    def stats(self, per_seed: PerSeed) -> tuple[TestStats, str]:
        return paired_stats(self.sample(per_seed), self.bound()), "paired t"

    def example(self, supporting: bool, n: int = 5) -> list[dict[str, float]]:  # pragma: no cover
        """Per-seed metrics that clearly support (or clearly contradict) the claim."""
        raise NotImplementedError

    def check(self, per_seed: PerSeed) -> ClaimResult:
        seeds = [m for m in per_seed if all(k in m for k in self.metrics())]
        base = {"wording": self.wording, "source": self.source, "headline": self.headline}
        if not seeds:
            missing = [k for k in self.metrics() if not any(k in m for m in per_seed)]
            detail = f"not measured at this scale (no {', '.join(missing) or 'seed'})"
            return ClaimResult(self.name, self.statement(), NOT_MEASURED, detail, **base)
        st, test = self.stats(seeds)
        verdict = decide(st, self.bound(), self.inclusive)
        rel = "≥" if self.inclusive else ">"
        detail = (
            f"mean {st.mean:+.4g}, one-sided 95 % bounds [{st.lower:.4g}, {st.upper:.4g}] vs "
            f"{rel} {self.bound():g}; p = {st.p:.3g}; n = {st.n} ({test})"
        )
        if st.n < MIN_SEEDS:
            detail += f"; fewer than {MIN_SEEDS} seeds: no verdict"
        return ClaimResult(
            self.name,
            self.statement(),
            verdict,
            detail,
            test=test,
            n=st.n,
            mean_diff=_fin(st.mean),
            lower=_fin(st.lower),
            upper=_fin(st.upper),
            p=st.p,
            bound=self.bound(),
            **base,
        )


def _pairs(per_seed: PerSeed, a: str, b: str, lower_is_better: bool) -> list[float]:
    sign = -1.0 if lower_is_better else 1.0
    return [sign * (float(m[a]) - float(m[b])) for m in per_seed]


def _example_pair(diff: float, n: int, spread: float = 0.1) -> list[tuple[float, float]]:
    """n (a, b) pairs whose differences are ``diff`` ± a small spread."""
    return [(50.0 + i + diff + spread * ((-1) ** i), 50.0 + i) for i in range(n)]


@dataclass(frozen=True)
class _TwoRows(Claim):
    """A comparison of two rows, ``a`` against ``b``: paired differences, or Welch when ``paired=False``."""

    a: str = ""
    b: str = ""
    lower_is_better: bool = False
    paired: bool = True

    def metrics(self) -> tuple[str, ...]:
        return (self.a, self.b)

    def sample(self, per_seed: PerSeed) -> list[float]:
        return _pairs(per_seed, self.a, self.b, self.lower_is_better)

    def stats(self, per_seed: PerSeed) -> tuple[TestStats, str]:
        if self.paired:
            return super().stats(per_seed)
        sign = -1.0 if self.lower_is_better else 1.0
        xa = [sign * float(m[self.a]) for m in per_seed]
        xb = [sign * float(m[self.b]) for m in per_seed]
        return welch_stats(xa, xb, self.bound()), "Welch t (unpaired)"

    def example(self, supporting: bool, n: int = 5) -> list[dict[str, float]]:
        d = self.bound() + (5.0 if supporting else -5.0)
        sign = -1.0 if self.lower_is_better else 1.0
        return [{self.a: b + sign * (a - b), self.b: b} for a, b in _example_pair(d, n)]


@dataclass(frozen=True)
class Better(_TwoRows):
    """Superiority: a beats b by more than ``margin`` (paired over seeds; Welch when ``paired=False``).

    With ``lower_is_better`` (attack success, error, FD) "beats" means lower.
    """

    margin: float = 0.0

    def statement(self) -> str:
        op = "<" if self.lower_is_better else ">"
        sgn = "−" if self.lower_is_better else "+"
        extra = f" {sgn} {self.margin:g}" if self.margin else ""
        how = "" if self.paired else " (unpaired, Welch)"
        return f"{self.a} {op} {self.b}{extra}{how}"

    def bound(self) -> float:
        return self.margin


Greater = Better
"""The old name: a superiority claim, now judged on paired differences."""


@dataclass(frozen=True)
class NotWorse(_TwoRows):
    """Non-inferiority: a is no worse than b by more than the fixed margin ``delta`` (paired)."""

    delta: float = 0.0
    """The non-inferiority margin, a fixed number from the paper's wording."""
    inclusive: bool = field(default=True, repr=False)

    def __post_init__(self) -> None:
        if self.delta < 0:
            raise ValueError(f"claim {self.name!r}: delta must be ≥ 0, got {self.delta}")

    def statement(self) -> str:
        if self.lower_is_better:
            return f"{self.a} ≤ {self.b} + {self.delta:g}"
        return f"{self.a} ≥ {self.b} − {self.delta:g}"

    def bound(self) -> float:
        return -self.delta


@dataclass(frozen=True)
class AtLeast(Claim):
    """Threshold: the mean of ``a`` is at least ``threshold`` (one-sample t on the seeds)."""

    a: str = ""
    threshold: float = 0.0
    inclusive: bool = field(default=True, repr=False)

    def metrics(self) -> tuple[str, ...]:
        return (self.a,)

    def statement(self) -> str:
        return f"{self.a} {'≥' if self.inclusive else '>'} {self.threshold:g}"

    def bound(self) -> float:
        return self.threshold

    def sample(self, per_seed: PerSeed) -> list[float]:
        return [float(m[self.a]) for m in per_seed]

    def stats(self, per_seed: PerSeed) -> tuple[TestStats, str]:
        return paired_stats(self.sample(per_seed), self.bound()), "one-sample t"

    def example(self, supporting: bool, n: int = 5) -> list[dict[str, float]]:
        c = self.threshold + (5.0 if supporting else -5.0)
        return [{self.a: c + 0.1 * (-1) ** i} for i in range(n)]


@dataclass(frozen=True)
class AtMost(Claim):
    """Threshold: the mean of ``a`` is at most ``threshold`` (one-sample t on the seeds)."""

    a: str = ""
    threshold: float = 0.0
    inclusive: bool = field(default=True, repr=False)

    def metrics(self) -> tuple[str, ...]:
        return (self.a,)

    def statement(self) -> str:
        return f"{self.a} {'≤' if self.inclusive else '<'} {self.threshold:g}"

    def bound(self) -> float:
        return -self.threshold

    def sample(self, per_seed: PerSeed) -> list[float]:
        return [-float(m[self.a]) for m in per_seed]

    def stats(self, per_seed: PerSeed) -> tuple[TestStats, str]:
        return paired_stats(self.sample(per_seed), self.bound()), "one-sample t"

    def check(self, per_seed: PerSeed) -> ClaimResult:
        """Report the mean value itself (not its negation)."""
        r = super().check(per_seed)
        if r.mean_diff is None:
            return r
        from dataclasses import replace

        lo, hi = r.upper, r.lower
        rel = "≤" if self.inclusive else "<"
        detail = (
            f"mean {-r.mean_diff:.4g}, one-sided 95 % bounds [{-lo if lo is not None else -math.inf:.4g}, "
            f"{-hi if hi is not None else math.inf:.4g}] vs {rel} {self.threshold:g}; p = {r.p:.3g}; "
            f"n = {r.n} ({r.test})"
        )
        if r.n < MIN_SEEDS:
            detail += f"; fewer than {MIN_SEEDS} seeds: no verdict"
        return replace(
            r,
            mean_diff=-r.mean_diff,
            lower=None if lo is None else -lo,
            upper=None if hi is None else -hi,
            bound=self.threshold,
            detail=detail,
        )

    def example(self, supporting: bool, n: int = 5) -> list[dict[str, float]]:
        c = self.threshold + (-5.0 if supporting else 5.0)
        return [{self.a: c + 0.1 * (-1) ** i} for i in range(n)]


@dataclass(frozen=True)
class Fact:
    """A number that cannot fail (a parameter count, bytes on disk): shown in its own table."""

    name: str
    metric: str
    unit: str = ""
    note: str = ""

    def value(self, per_seed: PerSeed) -> dict[str, float | str | None]:
        vals = [float(m[self.metric]) for m in per_seed if self.metric in m]
        return {
            "name": self.name,
            "metric": self.metric,
            "value": mean(vals) if vals else None,
            "std": stdev(vals) if len(vals) > 1 else (0.0 if vals else None),
            "unit": self.unit,
            "note": self.note,
        }
