from advfrontier.raat.tuning import CANDIDATES, MIN_BD_SHARE, mechanism_acts, select


def test_every_tuned_method_gets_the_same_number_of_candidates() -> None:
    assert {len(values) for _, values in CANDIDATES.values()} == {2}
    assert set(CANDIDATES) == {"raat", "trades", "mart"}


def test_selection_skips_raat_candidates_whose_mechanism_does_not_act() -> None:
    rows = [
        {"method": "raat", "value": 0.1, "score": 80.0, "bd_share_final": MIN_BD_SHARE - 1},
        {"method": "raat", "value": 0.5, "score": 70.0, "bd_share_final": MIN_BD_SHARE + 5},
        {"method": "trades", "value": 1.0, "score": 60.0},
        {"method": "trades", "value": 6.0, "score": 65.0},
        {"method": "mart", "value": 1.0, "score": 55.0},
        {"method": "mart", "value": 6.0, "score": 20.0},
    ]
    chosen = select(rows)
    assert mechanism_acts(rows)
    assert chosen["raat"]["r"] == 0.5  # the higher score has Bd below the rule
    assert chosen["trades"]["trades_beta"] == 6.0 and chosen["mart"]["mart_beta"] == 1.0
    # when no RAAT candidate qualifies, the one with the largest Bd is kept, not the best score
    rows[1]["bd_share_final"] = MIN_BD_SHARE - 2
    assert select(rows)["raat"]["r"] == 0.1 and not mechanism_acts(rows)


def test_the_real_config_carries_the_committed_validation_choice() -> None:
    import json
    from pathlib import Path

    from advfrontier.raat.config import REAL

    report = json.loads((Path(__file__).parents[1] / "results" / "tuning_real_methods.json").read_text())
    chosen = report["chosen"]
    assert report["eval_step"] == REAL.eval_step and report["mechanism_acts"]
    assert (REAL.r, REAL.trades_beta, REAL.mart_beta) == (
        chosen["raat"]["r"], chosen["trades"]["trades_beta"], chosen["mart"]["mart_beta"],
    )  # fmt: skip
