"""MMLU and ARC loaders read their files as distributed, and refuse malformed ones with the file named."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from advfrontier.shared.lm.benchmarks import Item, load_arc, load_mmlu


def test_mmlu_and_arc_read_their_files(tmp_path: Path) -> None:
    (tmp_path / "test").mkdir()
    with (tmp_path / "test" / "anatomy_test.csv").open("w", newline="") as fh:
        csv.writer(fh).writerows([["q1", "a", "b", "c", "d", "C"], ["q2", "a", "b", "c", "d", "A"]])
    items = load_mmlu(tmp_path / "test")
    assert [it.answer for it in items] == ["C", "A"] and items[0].choices == ("a", "b", "c", "d")
    assert len(load_mmlu(tmp_path / "test", limit=1)) == 1
    assert load_mmlu(tmp_path / "none") == [] and load_arc(tmp_path / "none.jsonl") == []
    arc = tmp_path / "arc.jsonl"
    rec = {"question": {"stem": "s", "choices": [{"text": "t", "label": "1"}, {"text": "u", "label": "2"}]}}
    arc.write_text(json.dumps({**rec, "answerKey": "2"}) + "\n")
    assert load_arc(arc) == [Item("s", ("1", "2"), ("t", "u"), "2")]
    arc.write_text(json.dumps({**rec, "answerKey": "E"}) + "\n")
    with pytest.raises(ValueError, match="answerKey"):
        load_arc(arc)
    with (tmp_path / "test" / "bad_test.csv").open("w", newline="") as fh:
        csv.writer(fh).writerow(["q", "a", "b", "c", "d", "AB"])
    with pytest.raises(ValueError, match="answer letter"):
        load_mmlu(tmp_path / "test")
