"""Paper-scale inputs: tiny files in the real format load; missing ones raise DataNotFoundError."""

import dataclasses
import json
from pathlib import Path

import pytest

from advfrontier.localalign.config import PAPER_SCALE
from advfrontier.localalign.llm_data import paper_inputs
from advfrontier.shared.data.errors import DataNotFoundError


def _write(root: Path) -> None:
    recs = [
        {"instruction": "Summarise the text.", "input": "A long text.", "output": "Short."},
        {"instruction": "Name a colour.", "input": "", "output": "Red."},
        {"instruction": "Translate to French.", "input": "Hello", "output": "Bonjour"},
    ]
    (root / "alpaca_data_cleaned.json").write_text(json.dumps(recs))
    (root / "davinci_003_outputs.json").write_text(json.dumps(recs[:2]))
    (root / PAPER_SCALE.model_path).mkdir(parents=True)
    (root / PAPER_SCALE.model_path / "config.json").write_text("{}")


def test_paper_inputs_keep_only_samples_with_input(tmp_path: Path) -> None:
    _write(tmp_path)
    cfg = dataclasses.replace(PAPER_SCALE, data_dir=str(tmp_path))
    model, train, evals = paper_inputs(cfg)
    assert model == tmp_path / PAPER_SCALE.model_path
    assert [r["input"] for r in train] == ["A long text.", "Hello"]
    assert len(evals) == 1
    assert len(paper_inputs(dataclasses.replace(cfg, train_limit=1))[1]) == 1


@pytest.mark.parametrize("missing", ["alpaca_data_cleaned.json", "davinci_003_outputs.json", "config.json"])
def test_missing_files_raise_a_clear_error(tmp_path: Path, missing: str) -> None:
    _write(tmp_path)
    target = tmp_path / PAPER_SCALE.model_path / missing if missing == "config.json" else tmp_path / missing
    target.unlink()
    with pytest.raises(DataNotFoundError, match="get it from"):
        paper_inputs(dataclasses.replace(PAPER_SCALE, data_dir=str(tmp_path)))
