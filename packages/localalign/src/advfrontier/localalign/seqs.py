"""Batches of prompt + response token ids, response log-probabilities and decoding for :class:`TinyLM`."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from advfrontier.localalign.model import TinyLM
from advfrontier.localalign.task import EOS, PAD


def pack(prompts: Sequence[Sequence[int]], responses: Sequence[Sequence[int]]) -> tuple[Tensor, Tensor]:
    """Left-padded ``prompt + response`` ids (B, T) and a mask of the response tokens (B, T)."""
    full = [list(p) + list(r) for p, r in zip(prompts, responses, strict=True)]
    t = max(len(f) for f in full)
    ids = torch.full((len(full), t), PAD, dtype=torch.long)
    mask = torch.zeros((len(full), t), dtype=torch.bool)
    for i, (f, r) in enumerate(zip(full, responses, strict=True)):
        ids[i, t - len(f) :] = torch.tensor(f)
        if r:
            mask[i, t - len(r) :] = True
    return ids, mask


def token_logps(logits: Tensor, ids: Tensor) -> Tensor:
    """log p(ids[:, t] | ids[:, <t]) at every t ≥ 1, zero at t = 0 (B, T)."""
    lp = torch.log_softmax(logits[:, :-1].float(), dim=-1).gather(-1, ids[:, 1:, None]).squeeze(-1)
    return torch.cat([torch.zeros_like(lp[:, :1]), lp], dim=1)


def sequence_logp(model: TinyLM, ids: Tensor, mask: Tensor) -> Tensor:
    """Σ_t log π(y_t | x, y_<t) over the response tokens: log π(y | x), one per row (B,)."""
    return (token_logps(model(ids), ids) * mask).sum(1)


@torch.no_grad()
def generate(
    model: TinyLM,
    prompts: Sequence[Sequence[int]],
    max_new: int = 6,
    temperature: float = 0.0,
    generator: torch.Generator | None = None,
) -> list[list[int]]:
    """Responses (ending in [EOS] when one was produced); greedy when ``temperature`` is 0."""
    was = model.training
    model.eval()
    ids, _ = pack(prompts, [[] for _ in prompts])
    done = torch.zeros(len(prompts), dtype=torch.bool)
    out: list[list[int]] = [[] for _ in prompts]
    for _ in range(max_new):
        logits = model(ids)[:, -1]
        if temperature > 0:
            probs = torch.softmax(logits / temperature, dim=-1)
            nxt = torch.multinomial(probs, 1, generator=generator).squeeze(1)
        else:
            nxt = logits.argmax(-1)
        for i in range(len(prompts)):
            if not done[i]:
                out[i].append(int(nxt[i]))
        done |= nxt == EOS
        if bool(done.all()):
            break
        ids = torch.cat([ids, nxt[:, None]], dim=1)
    model.train(was)
    return out
