"""Utility benchmarks for the paper scale, read from the data directory when present: MMLU and
ARC-Challenge, zero-shot, scored by the next-token logit of each choice's letter after the question in the
model's chat template (the letter with the largest logit is the answer).

Layouts (the files as their authors distribute them)::

    <data_dir>/mmlu/test/<subject>_test.csv     # no header: question, A, B, C, D, answer letter
    <data_dir>/arc/ARC-Challenge-Test.jsonl     # {"question": {"stem", "choices": [{"text", "label"}]},
                                                #  "answerKey"}
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

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


def _letter_ids(tok: object, label: str) -> list[int]:
    """Token ids that start the answer ``label`` ("A" alone or after a space)."""
    ids = {tok(text, add_special_tokens=False)["input_ids"][-1] for text in (label, f" {label}")}
    return sorted(ids)


@torch.no_grad()
def accuracy(model: nn.Module, tok: object, items: list[Item], batch_size: int = 8) -> float:
    """% of ``items`` whose right letter has the largest next-token logit after the prompt."""
    from advfrontier.warden.llm_run import chat_prompt

    if not items:
        raise ValueError("no benchmark items to score")
    device = next(model.parameters()).device
    pad = tok.pad_token_id if tok.pad_token_id is not None else 0
    right = 0
    for s in range(0, len(items), batch_size):
        chunk = items[s : s + batch_size]
        prompts = [chat_prompt(tok, question_text(it)) for it in chunk]
        ids = [tok(p, add_special_tokens=False)["input_ids"] for p in prompts]
        n = max(map(len, ids))
        x = torch.tensor([[pad] * (n - len(i)) + i for i in ids], device=device)
        mask = torch.tensor([[0] * (n - len(i)) + [1] * len(i) for i in ids], device=device)
        pos = (mask.cumsum(1) - 1).clamp_min(0)
        logits = model(input_ids=x, attention_mask=mask, position_ids=pos).logits
        for it, row in zip(chunk, logits[:, -1].float(), strict=True):
            scores = [max(float(row[i]) for i in _letter_ids(tok, lab)) for lab in it.labels]
            right += it.labels[max(range(len(scores)), key=scores.__getitem__)] == it.answer
    return 100.0 * right / len(items)


def utility_benchmarks(
    model: nn.Module, tok: object, root: Path, limit: int | None, batch_size: int = 8
) -> dict[str, float]:
    """``mmlu_acc`` and ``arc_acc`` (%) for each benchmark whose files are in ``root``; {} for none."""
    out: dict[str, float] = {}
    for key, items in (
        ("mmlu_acc", load_mmlu(root / "mmlu" / "test", limit)),
        ("arc_acc", load_arc(root / "arc" / "ARC-Challenge-Test.jsonl", limit)),
    ):
        if items:
            out[key] = accuracy(model, tok, items, batch_size)
    return out
