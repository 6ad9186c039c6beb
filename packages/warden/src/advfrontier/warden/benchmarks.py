"""Utility benchmarks for the paper scale, read from the data directory when present (loaders and layout:
``advfrontier.shared.lm.benchmarks``): MMLU and ARC-Challenge, zero-shot, scored by the next-token logit of
each choice's letter after the question in the model's chat template (the letter with the largest logit
is the answer)."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from advfrontier.shared.lm.benchmarks import Item, load_arc, load_mmlu, question_text
from advfrontier.warden.model import next_token_logits


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
    pad = tok.pad_token_id if tok.pad_token_id is not None else 0
    letter_ids = {lab: _letter_ids(tok, lab) for it in items for lab in it.labels}
    right = 0
    for s in range(0, len(items), batch_size):
        chunk = items[s : s + batch_size]
        rows = [
            tok(chat_prompt(tok, question_text(it)), add_special_tokens=False)["input_ids"] for it in chunk
        ]
        for it, row in zip(chunk, next_token_logits(model, rows, pad).float(), strict=True):
            scores = [max(float(row[i]) for i in letter_ids[lab]) for lab in it.labels]
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
