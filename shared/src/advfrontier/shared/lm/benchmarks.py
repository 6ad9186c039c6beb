"""Multiple-choice benchmarks read from a data directory (nothing is downloaded): MMLU and ARC-Challenge,
as their authors distribute them::

    <data_dir>/mmlu/test/<subject>_test.csv     # no header: question, A, B, C, D, answer letter
    <data_dir>/arc/ARC-Challenge-Test.jsonl     # {"question": {"stem", "choices": [{"text", "label"}]},
                                                #  "answerKey"}

Used by the paper scales for utility (warden) and for an injection suite built on the questions
(localalign).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

MMLU_SOURCE = "https://people.eecs.berkeley.edu/~hendrycks/data.tar (its data/test folder)"
ARC_SOURCE = "https://allenai.org/data/arc (ARC-Challenge/ARC-Challenge-Test.jsonl)"


@dataclass(frozen=True)
class Item:
    """One multiple-choice question: the choices' labels and texts, and the right label."""

    question: str
    labels: tuple[str, ...]
    choices: tuple[str, ...]
    answer: str


def load_mmlu(folder: Path, limit: int | None = None) -> list[Item]:
    """Every ``*_test.csv`` of ``folder`` in name order (the first ``limit`` items); [] if none."""
    items: list[Item] = []
    for path in sorted(folder.glob("*_test.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                if len(row) != 6 or row[5].strip() not in ("A", "B", "C", "D"):
                    raise ValueError(f"{path}: expected question, A, B, C, D, answer letter; got {row[:6]}")
                items.append(Item(row[0], ("A", "B", "C", "D"), tuple(row[1:5]), row[5].strip()))
                if limit is not None and len(items) >= limit:
                    return items
    return items


def load_arc(path: Path, limit: int | None = None) -> list[Item]:
    """ARC JSON lines (the first ``limit`` items); [] if the file is absent."""
    if not path.exists():
        return []
    items: list[Item] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                q = rec["question"]
                labels = tuple(str(c["label"]) for c in q["choices"])
                texts = tuple(str(c["text"]) for c in q["choices"])
                answer = str(rec["answerKey"])
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise ValueError(f"{path}:{n}: not an ARC record ({err})") from err
            if answer not in labels:
                raise ValueError(f"{path}:{n}: answerKey {answer!r} is not one of the labels {labels}")
            items.append(Item(q["stem"], labels, texts, answer))
            if limit is not None and len(items) >= limit:
                break
    return items


def question_text(item: Item) -> str:
    options = [f"{lab}. {c}" for lab, c in zip(item.labels, item.choices, strict=True)]
    return "\n".join([item.question, "", *options, "", "Answer with the letter of the correct choice only."])
