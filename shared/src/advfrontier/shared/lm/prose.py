"""A utility measure that does not depend on the task a defence is trained for: next-token perplexity
on held-out English prose that ships with CPython (``pydoc_data.topics``), so nothing is downloaded."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn


def prose(n_chars: int = 4000) -> tuple[str, str]:
    """Two pydoc topics (the first and the last in sorted order), ``n_chars`` characters each."""
    import pydoc_data.topics as topics

    keys = sorted(topics.topics)
    return topics.topics[keys[0]][:n_chars], topics.topics[keys[-1]][:n_chars]


@torch.no_grad()
def perplexity(model: nn.Module, tok: Any, text: str, window: int = 128) -> float:
    """exp of the mean next-token NLL of ``text``, in non-overlapping windows of ``window`` tokens."""
    ids = tok(text, return_tensors="pt")["input_ids"][0]
    total, count = 0.0, 0
    for s in range(0, len(ids) - 1, window):
        chunk = ids[s : s + window + 1][None].to(next(model.parameters()).device)
        if chunk.shape[1] < 2:
            break
        logits = model(input_ids=chunk[:, :-1]).logits
        total += float(torch.nn.functional.cross_entropy(logits[0].float(), chunk[0, 1:], reduction="sum"))
        count += chunk.shape[1] - 1
    return math.exp(total / max(count, 1))
