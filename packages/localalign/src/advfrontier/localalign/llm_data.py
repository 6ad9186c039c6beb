"""Paper-scale inputs from a local directory: Alpaca-cleaned, AlpacaFarm and the instruction model's folder.

Nothing is downloaded. Missing files raise :class:`DataNotFoundError` naming the file, where to get it and
where to put it. Only samples with a non-empty ``input`` are kept (the injection goes into the input).
"""

from __future__ import annotations

import json
from pathlib import Path

from advfrontier.localalign.config import LocalAlignConfig
from advfrontier.shared.data.errors import DataNotFoundError, resolve_data_dir

SOURCES: dict[str, str] = {
    "alpaca_data_cleaned.json": "github.com/gururise/AlpacaDataCleaned (alpaca_data_cleaned.json)",
    "davinci_003_outputs.json": "huggingface.co/datasets/tatsu-lab/alpaca_farm (alpaca_farm_evaluation)",
    "model": "huggingface.co/Qwen/Qwen3-4B-Instruct-2507 or meta-llama/Llama-3.1-8B-Instruct",
}


def _require(path: Path, what: str, source: str) -> Path:
    if not path.exists():
        raise DataNotFoundError(f"{what} not found at {path}; get it from {source} and put it there")
    return path


def load_samples(path: Path, limit: int | None = None, with_input: bool = True) -> list[dict[str, str]]:
    """instruction/input/output records from an Alpaca-format JSON list; ``with_input``: only those with
    a non-empty input (where an injection can go)."""
    src = SOURCES.get(path.name, "the paper's release")
    records = json.loads(_require(path, "Alpaca-format JSON", src).read_text())
    keep = [
        {"instruction": r["instruction"], "input": r.get("input", ""), "output": r.get("output", "")}
        for r in records
        if r.get("input", "").strip() or not with_input
    ]
    return keep if limit is None else keep[:limit]


def paper_inputs(cfg: LocalAlignConfig) -> tuple[Path, list[dict[str, str]], list[dict[str, str]]]:
    """(model folder, training samples, evaluation samples) of the paper scale."""
    root = resolve_data_dir(cfg.data_dir, "localalign paper scale")
    model = _require(
        root / cfg.model_path / "config.json", "instruction model (config.json)", SOURCES["model"]
    )
    train = load_samples(root / cfg.train_file, cfg.train_limit)
    evals = load_samples(root / cfg.eval_file, cfg.eval_limit)
    return model.parent, train, evals
