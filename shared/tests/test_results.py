"""Result cards, claim checks, diffs and the CLI end to end on the PGD-AT baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advfrontier.shared import cli, registry
from advfrontier.shared.claims import AtLeast, AtMost, Greater, NotLower
from advfrontier.shared.config import RunConfig, with_overrides
from advfrontier.shared.diffing import compare, tolerance_for
from advfrontier.shared.render import metrics_table, splice
from advfrontier.shared.results import check_metrics, summarize

SEEDS = [{"a/acc": 90.0, "b/acc": 80.0}, {"a/acc": 92.0, "b/acc": 81.0}, {"a/acc": 94.0, "b/acc": 82.0}]


def test_summary_is_mean_and_sample_std() -> None:
    s = summarize(SEEDS)
    assert s["a/acc"] == {"mean": 92.0, "std": 2.0, "n": 3}
    assert summarize(SEEDS[:1])["b/acc"]["std"] == 0.0


def test_claims_compare_means_with_their_noise() -> None:
    assert Greater("g", a="a/acc", b="b/acc", margin=10).check(SEEDS).held
    assert not Greater("g", a="a/acc", b="b/acc", margin=12).check(SEEDS).held
    # b is 11 below a; with k·noise = 1·sqrt((4+1)/2) ≈ 1.58 "b not lower than a" fails, "a not lower" holds
    assert not NotLower("n", a="b/acc", b="a/acc").check(SEEDS).held
    assert NotLower("n", a="a/acc", b="b/acc").check(SEEDS).held
    assert NotLower("n", a="b/acc", b="a/acc", floor=11.0).check(SEEDS).held
    assert AtLeast("l", a="a/acc", threshold=92).check(SEEDS).held
    assert not AtMost("m", a="a/acc", threshold=91.9).check(SEEDS).held


def test_a_claim_on_unmeasured_metrics_is_not_measured_not_failed() -> None:
    from advfrontier.shared.results import _check

    r = _check(Greater("g", a="a/acc", b="c/acc"), SEEDS)
    assert r.held is None and "not measured" in r.detail


def test_metrics_must_be_named_and_finite() -> None:
    with pytest.raises(ValueError, match="method/metric"):
        check_metrics({"acc": 1.0}, "x")
    with pytest.raises(ValueError, match="nan"):
        check_metrics({"a/acc": float("nan")}, "x")


def test_most_specific_tolerance_wins() -> None:
    tols = {"*_acc": 0.5, "pgd_at/clean_acc": 0.1}
    assert tolerance_for("pgd_at/clean_acc", tols, 0.0) == 0.1
    assert tolerance_for("trades/clean_acc", tols, 0.0) == 0.5
    assert tolerance_for("trades/loss", tols, 0.01) == 0.01


def test_config_overrides_are_checked() -> None:
    cfg = RunConfig()
    assert with_overrides(cfg, seeds=3, device=None).seeds == 3
    with pytest.raises(ValueError, match="no field"):
        with_overrides(cfg, epochs=3)
    with pytest.raises(ValueError, match="scale"):
        RunConfig(scale="huge")


def test_splice_replaces_only_between_markers() -> None:
    text = "# T\n\nintro\n\n<!-- results:begin -->\nold\n<!-- results:end -->\n\nafter\n"
    out = splice(text, "new")
    assert "old" not in out and "new" in out and out.endswith("after\n") and out.startswith("# T")


def test_unknown_and_missing_papers_are_explained() -> None:
    with pytest.raises(registry.PaperNotInstalledError, match="unknown paper 'nope'"):
        registry.load_paper("nope")
    assert "baselines" in registry.available()


def test_reproduce_twice_is_identical_and_diff_catches_drift(tmp_path: Path, capsys) -> None:
    """The foundation's acceptance check, in process: smoke PGD-AT baseline on digits."""
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert cli.main(["reproduce", "baselines", "--scale", "smoke", "--out", str(out), "--jobs", "1"]) == 0
    ra, rb = json.loads((a / "smoke.json").read_text()), json.loads((b / "smoke.json").read_text())
    assert ra["per_seed"] == rb["per_seed"]
    assert (a / "smoke.md").exists() and (a / "smoke.png").stat().st_size > 1000
    assert "| pgd_at |" in metrics_table(ra)
    # the acceptance claim: PGD-AT is far more robust than standard training on digits
    s = ra["summary"]
    assert s["pgd_at/pgd20_acc"]["mean"] > s["standard/pgd20_acc"]["mean"] + 10
    assert ra["environment"]["torch_threads"] == 1 and "torch" in ra["environment"]["libraries"]

    assert cli.main(["diff", str(a / "smoke.json"), str(b / "smoke.json")]) == 0
    rows, problems = compare(ra, rb)
    assert all(r.ok for r in rows) and not problems

    tol = rb["tolerances"]["*_acc"]
    rb["summary"]["pgd_at/pgd20_acc"]["mean"] += 0.9 * tol  # within tolerance
    (b / "within.json").write_text(json.dumps(rb))
    assert cli.main(["diff", str(a / "smoke.json"), str(b / "within.json")]) == 0
    rb["summary"]["pgd_at/pgd20_acc"]["mean"] += 0.2 * tol  # now beyond it
    (b / "drift.json").write_text(json.dumps(rb))
    capsys.readouterr()
    assert cli.main(["diff", str(a / "smoke.json"), str(b / "drift.json")]) == 1
    assert "DRIFT" in capsys.readouterr().out
    del rb["summary"]["trades/clean_acc"]
    (b / "missing.json").write_text(json.dumps(rb))
    assert cli.main(["diff", str(a / "smoke.json"), str(b / "missing.json")]) == 1
