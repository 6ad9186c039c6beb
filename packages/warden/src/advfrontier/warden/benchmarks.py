"""Utility benchmarks for the paper scale, read from the data directory when present (loaders and layout:
``advfrontier.shared.lm.benchmarks``): MMLU and ARC-Challenge, zero-shot, scored by the next-token logit of
each choice's letter after the question in the model's chat template (the letter with the largest logit
is the answer)."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from advfrontier.shared.lm.benchmarks import Item, load_arc, load_mmlu, question_text


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
