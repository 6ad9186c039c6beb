"""The verdict engine: paired one-sided t bounds, three verdicts, and claims that can fail."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from advfrontier.shared import registry
from advfrontier.shared.claims import (
    CONTRADICTED,
    HELD,
    INCONCLUSIVE,
    NOT_MEASURED,
    AtLeast,
    AtMost,
    Better,
    Fact,
    NotWorse,
)
from advfrontier.shared.results import _check

# a beats b in every seed by 2, 3, 4, 5, 6 (mean 4, sd 1.58)
A = [70.0, 72.0, 75.0, 71.0, 74.0]
B = [68.0, 69.0, 71.0, 66.0, 68.0]
SEEDS = [{"a/acc": a, "b/acc": b} for a, b in zip(A, B, strict=True)]


def test_claims_superiority_matches_scipy_paired_t() -> None:
    r = Better("sup", a="a/acc", b="b/acc").check(SEEDS)
    ref = stats.ttest_rel(A, B, alternative="greater")
    assert r.verdict == HELD and r.test == "paired t" and r.n == 5
    assert r.p == pytest.approx(ref.pvalue, rel=1e-9)
    d = [a - b for a, b in zip(A, B, strict=True)]
    se = stats.tstd(d) / math.sqrt(5)
    assert r.lower == pytest.approx(4.0 - stats.t.ppf(0.95, 4) * se)
    assert r.upper == pytest.approx(4.0 + stats.t.ppf(0.95, 4) * se)
    # the reverse claim is contradicted by the same data, at the same confidence
    assert Better("rev", a="b/acc", b="a/acc").check(SEEDS).verdict == CONTRADICTED


def test_claims_superiority_with_margin_uses_ttest_1samp_against_the_margin() -> None:
    r = Better("m", a="a/acc", b="b/acc", margin=3.0).check(SEEDS)
    d = [a - b - 3.0 for a, b in zip(A, B, strict=True)]
    assert r.p == pytest.approx(stats.ttest_1samp(d, 0.0, alternative="greater").pvalue)
    assert r.verdict == INCONCLUSIVE  # lower bound 2.49 < 3 < upper bound 5.51
    assert Better("m", a="a/acc", b="b/acc", margin=7.0).check(SEEDS).verdict == CONTRADICTED


def test_claims_noisy_differences_are_inconclusive_not_held() -> None:
    """The old engine held any positive difference of means: one seed carrying it is not enough."""
    per_seed = [{"a/asr": x, "b/asr": 10.0} for x in (10.0, 10.0, 10.0, 10.0, 40.0)]
    assert Better("one seed", a="a/asr", b="b/asr").check(per_seed).verdict == INCONCLUSIVE


def test_claims_lower_is_better_flips_the_direction() -> None:
    per_seed = [{"ours/asr": 10.0 + i, "cat/asr": 20.0 + i * 1.1} for i in range(5)]
    assert Better("asr", a="ours/asr", b="cat/asr", lower_is_better=True).check(per_seed).verdict == HELD
    assert (
        Better("asr", a="cat/asr", b="ours/asr", lower_is_better=True).check(per_seed).verdict == CONTRADICTED
    )


def test_claims_non_inferiority_margin_is_fixed_not_scaled_by_noise() -> None:
    # a is 2.1 below b on average: "within 2 points" cannot be held, however noisy the seeds
    per_seed = [{"a/u": 50.0 + e - 2.1, "b/u": 50.0} for e in (-3.0, 3.0, -2.0, 2.0, 0.0)]
    r = NotWorse("ni", a="a/u", b="b/u", delta=2.0).check(per_seed)
    assert r.verdict == INCONCLUSIVE and r.bound == -2.0
    d = [x["a/u"] - x["b/u"] + 2.0 for x in per_seed]
    assert r.p == pytest.approx(stats.ttest_1samp(d, 0.0, alternative="greater").pvalue)
    tight = [{"a/u": 50.0 - 2.1 + 0.01 * (-1) ** i, "b/u": 50.0} for i in range(5)]
    assert NotWorse("ni", a="a/u", b="b/u", delta=2.0).check(tight).verdict == CONTRADICTED
    assert NotWorse("ni", a="a/u", b="b/u", delta=2.5).check(tight).verdict == HELD
    # "RAAT PGD-20 ≥ TRADES" with RAAT lower in every seed by ~6 is not held at δ = 1
    raat = [{"r/pgd": 40.0 - 6.1 + 0.5 * (-1) ** i, "t/pgd": 40.0 + i} for i in range(5)]
    assert NotWorse("r", a="r/pgd", b="t/pgd", delta=1.0).check(raat).verdict == CONTRADICTED


def test_claims_thresholds_are_one_sample_t() -> None:
    vals = [0.3, 0.35, 0.28, 0.32, 0.31]
    per_seed = [{"m/x": v} for v in vals]
    r = AtLeast("t", a="m/x", threshold=0.25).check(per_seed)
    assert r.verdict == HELD
    assert r.p == pytest.approx(stats.ttest_1samp(vals, 0.25, alternative="greater").pvalue)
    r = AtMost("t", a="m/x", threshold=0.25).check(per_seed)
    assert r.verdict == CONTRADICTED and r.mean_diff == pytest.approx(sum(vals) / 5)
    assert r.p == pytest.approx(stats.ttest_1samp(vals, 0.25, alternative="less").pvalue)
    assert r.lower is not None and r.upper is not None and r.lower < r.mean_diff < r.upper
    assert AtMost("t", a="m/x", threshold=0.4).check(per_seed).verdict == HELD
    assert AtLeast("t", a="m/x", threshold=0.31).check(per_seed).verdict == INCONCLUSIVE


def test_claims_welch_for_unpaired_rows() -> None:
    r = Better("w", a="a/acc", b="b/acc", paired=False).check(SEEDS)
    ref = stats.ttest_ind(A, B, equal_var=False, alternative="greater")
    assert r.test.startswith("Welch") and r.p == pytest.approx(ref.pvalue, rel=1e-9)


def test_claims_fewer_than_three_seeds_never_decide() -> None:
    r = Better("few", a="a/acc", b="b/acc").check(SEEDS[:2])
    assert r.verdict == INCONCLUSIVE and "fewer than 3" in r.detail


def test_claims_unmeasured_metrics_are_not_measured() -> None:
    r = _check(Better("g", a="a/acc", b="c/acc"), SEEDS)
    assert r.verdict == NOT_MEASURED and "c/acc" in r.detail


def test_claims_facts_are_not_judged() -> None:
    f = Fact("parameters", metric="m/params", unit="k").value([{"m/params": 46.1}, {"m/params": 46.1}])
    assert f["value"] == 46.1 and "verdict" not in f


def _installed_papers():
    return [registry.load_paper(s) for s in registry.available()]


@pytest.mark.parametrize("slug", registry.available())
def test_claims_every_registered_claim_can_be_held_and_contradicted(slug: str) -> None:
    paper = registry.load_paper(slug)
    assert paper.claims, f"{slug} registers no claim"
    for claim in paper.claims:
        assert claim.check(claim.example(supporting=True)).verdict == HELD, claim.name
        assert claim.check(claim.example(supporting=False)).verdict == CONTRADICTED, claim.name


@pytest.mark.parametrize("slug", registry.available())
def test_claims_every_paper_checks_its_headline_claim(slug: str) -> None:
    paper = registry.load_paper(slug)
    assert any(c.headline for c in paper.claims), f"{slug}: no claim marked headline=True"


def test_strict_thresholds_state_their_relation_and_refuse_equality() -> None:
    per_seed = [{"m/x": 1.0} for _ in range(5)]  # exactly at the threshold, no spread
    loose = AtLeast("t", a="m/x", threshold=1.0)
    strict = AtLeast("t", a="m/x", threshold=1.0, inclusive=False)
    assert loose.statement() == "m/x ≥ 1" and strict.statement() == "m/x > 1"
    assert loose.check(per_seed).verdict == HELD
    assert strict.check(per_seed).verdict != HELD
    below = AtMost("t", a="m/x", threshold=1.0, inclusive=False)
    assert below.statement() == "m/x < 1" and below.check(per_seed).verdict != HELD
    assert "vs < 1" in below.check(per_seed).detail
