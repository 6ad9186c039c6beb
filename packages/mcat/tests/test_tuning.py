"""The validation choice: a candidate that collapses on one seed must lose to one that never does."""

from __future__ import annotations

from advfrontier.mcat.tuning import CANDIDATES, LR_CANDIDATES, select


def _rows(scores: dict[float, list[float]], method: str = "pgd_at", field: str = "lr") -> list[dict]:
    return [
        {"method": method, "field": field, "value": v, "ratio": 10.0, "seed": s, "score": x}
        for v, xs in scores.items()
        for s, x in enumerate(xs)
    ]


def test_lr_stage_counts_a_collapsed_seed() -> None:
    # 0.05 is best on two seeds but collapses (score ≈ chance) on the third; 0.01 is steady.
    rows = _rows({0.05: [80.0, 82.0, 10.0], 0.01: [75.0, 76.0, 74.0]})
    chosen = select(rows, {"pgd_at": ("lr", LR_CANDIDATES)})
    assert chosen["pgd_at"]["lr"] == 0.01
    assert abs(chosen["pgd_at"]["scores"][0.05] - 172.0 / 3) < 1e-9


def test_methods_stage_picks_per_method_and_skips_untried() -> None:
    rows = _rows({0.1: [60.0], 0.01: [70.0], 0.001: [65.0]}, "mcat", "mcat_lambda")
    chosen = select(rows)
    scores = {0.1: 60.0, 0.01: 70.0, 0.001: 65.0}
    assert chosen == {"mcat": {"mcat_lambda": 0.01, "score": 70.0, "scores": scores}}
    assert set(CANDIDATES) >= set(chosen)


def test_every_tuned_method_gets_the_same_budget() -> None:
    assert len({len(values) for _, values in CANDIDATES.values()}) == 1
