"""Result cards, claim checks, diffs and the CLI end to end on the PGD-AT baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advfrontier.shared import cli, registry
from advfrontier.shared.config import RunConfig, with_overrides
from advfrontier.shared.diffing import compare, tolerance_for
from advfrontier.shared.render import metrics_table, splice
from advfrontier.shared.results import check_metrics, summarize

SEEDS = [{"a/acc": 90.0, "b/acc": 80.0}, {"a/acc": 92.0, "b/acc": 81.0}, {"a/acc": 94.0, "b/acc": 82.0}]


def test_summary_is_mean_and_sample_std() -> None:
    s = summarize(SEEDS)
    assert s["a/acc"] == {"mean": 92.0, "std": 2.0, "n": 3}
    assert summarize(SEEDS[:1])["b/acc"]["std"] == 0.0


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
    rows, problems, _ = compare(ra, rb)
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


def _card(scale: str, means: list[float], verdict: str = "held") -> dict:
    from statistics import mean, stdev

    return {
        "paper": "p",
        "scale": scale,
        "seeds": list(range(len(means))),
        "summary": {"m/acc": {"mean": mean(means), "std": stdev(means), "n": len(means)}},
        "claims": [{"name": "c", "verdict": verdict}],
        "tolerances": {},
        "default_tolerance": 0.01,
    }


def test_diff_at_noisy_scales_allows_two_standard_errors_of_the_difference() -> None:
    from advfrontier.shared.diffing import PapersDifferError

    base = _card("mini", [60.0, 64.0, 62.0, 58.0, 66.0])  # sd 3.16, se 1.41 → 2·SE(diff) = 4.0
    rows, problems, _ = compare(base, _card("mini", [63.0, 67.0, 65.0, 61.0, 69.0]))  # Δ = 3
    assert rows[0].ok and not problems and rows[0].allowed == pytest.approx(4.0)
    rows, _, _ = compare(base, _card("mini", [65.0, 69.0, 67.0, 63.0, 71.0]))  # Δ = 5
    assert not rows[0].ok
    # the same Δ at smoke scale is judged by the tolerance alone
    rows, _, _ = compare(_card("smoke", [60.0, 64.0]), _card("smoke", [63.0, 67.0]))
    assert not rows[0].ok
    with pytest.raises(PapersDifferError):
        compare(base, _card("smoke", [60.0, 64.0]))


def test_diff_verdict_flip_held_contradicted_is_drift_inconclusive_is_a_note() -> None:
    m = [60.0, 61.0, 62.0]
    _, problems, notes = compare(_card("mini", m, "held"), _card("mini", m, "contradicted"))
    assert problems and not notes
    _, problems, notes = compare(_card("mini", m, "held"), _card("mini", m, "inconclusive"))
    assert not problems and notes == ["claim 'c': held → inconclusive"]


@pytest.mark.parametrize(
    "made_on, ok", [("GenuineIntel AVX512", True), ("AuthenticAMD AVX2", False), (None, False)]
)
def test_check_drift_is_fatal_only_on_the_cpu_the_card_was_made_on(
    monkeypatch, tmp_path, made_on, ok
) -> None:
    """A smoke re-run that drifts fails ``check`` on the card's own CPU signature (or when the card does
    not record one) and is reported, not failed, on another."""
    import copy

    from advfrontier.shared import cli, runner

    committed = cli.read_result(cli._expected_path("warden", "smoke", ""))
    committed["environment"]["cpu"] = made_on
    drifted = copy.deepcopy(committed)
    drifted["environment"]["cpu"] = "AuthenticAMD AVX2"  # what the re-run recorded
    key = next(iter(drifted["summary"]))
    drifted["summary"][key]["mean"] = float(drifted["summary"][key]["mean"]) + 50.0
    monkeypatch.setattr(cli, "read_result", lambda _p: committed)
    monkeypatch.setattr(runner, "reproduce", lambda *a, **k: drifted)
    _slug, passed, report = cli._check_one("warden", "smoke", str(tmp_path))
    assert passed is ok and "DRIFT" in report
    assert ("not fatal" in report) is ok


def test_rejudge_rewrites_the_card_page_with_its_new_verdicts(tmp_path) -> None:
    import json
    from pathlib import Path

    from advfrontier.shared import cli

    root = Path(__file__).resolve().parents[2]
    card = json.loads((root / "shared/results/smoke.json").read_text())
    card["claims"] = []
    path = tmp_path / "smoke.json"
    path.write_text(json.dumps(card))
    (tmp_path / "smoke.md").write_text("stale page")
    assert cli.main(["rejudge", str(path)]) == 0
    claims = json.loads(path.read_text())["claims"]
    page = (tmp_path / "smoke.md").read_text()
    assert claims and page != "stale page" and all(c["name"] in page for c in claims)
