"""LAS and UAS from the official CoNLL 2018 UD scorer (``udtools.udeval``) on files we write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from udtools import udeval

from advfrontier.vacai.conllu_io import Sentence, write_conllu


def score_files(gold: str | Path, system: str | Path) -> dict[str, float]:
    """LAS and UAS (F1, in %) of ``system`` against ``gold`` by the CoNLL 2018 scorer."""
    result = udeval.evaluate(udeval.load_conllu_file(str(gold)), udeval.load_conllu_file(str(system)))
    return {"las": 100.0 * result["LAS"].f1, "uas": 100.0 * result["UAS"].f1}


def score_predictions(
    gold: Sequence[Sentence],
    heads: Sequence[Sequence[int]],
    deprels: Sequence[Sequence[str]],
    out_dir: str | Path,
    name: str,
) -> dict[str, float]:
    """Write gold and predicted CoNLL-U files under ``out_dir`` and score them."""
    out_dir = Path(out_dir)
    gold_path = write_conllu(out_dir / f"{name}.gold.conllu", gold)
    pred_path = write_conllu(out_dir / f"{name}.pred.conllu", gold, heads, deprels)
    return score_files(gold_path, pred_path)
