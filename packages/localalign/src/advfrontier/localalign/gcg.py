"""GCG (Zou et al., 2023) on the miniature: an adversarial token suffix inside the data region.

Threat model: the attacker controls the data only. After the injected instruction it appends ``k`` tokens
from :data:`ATTACK_TOKENS` (no real delimiters), chosen to minimise −log π(target | prompt), where the
target is the injected instruction's answer followed by [EOS]. Each step takes the gradient of the loss
w.r.t. the one-hot suffix, keeps the ``topk`` most promising tokens per position, evaluates ``candidates``
single-token swaps per example and keeps the best (never a worse suffix). Success is judged on the greedy
answer, checked every ``check_every`` steps; a success ends that example's attack (nanogcg's early stop).
Never seen in training by any defence: it is the held-out optimisation-based attack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from advfrontier.localalign.model import TinyLM
from advfrontier.localalign.seqs import generate, pack, token_logps
from advfrontier.localalign.task import AST, ATTACK_TOKENS, TOK


def _target_loss(model: TinyLM, ids: Tensor, mask: Tensor, embeds: Tensor | None = None) -> Tensor:
    logits = model(ids) if embeds is None else model.forward_embeds(embeds, ids)
    return -(token_logps(logits, ids) * mask).sum(1)


def gcg(
    model: TinyLM,
    prefixes: Sequence[Sequence[int]],
    targets: Sequence[Sequence[int]],
    success: Callable[[int, list[int]], bool],
    suffix_len: int = 4,
    steps: int = 20,
    topk: int = 8,
    candidates: int = 16,
    check_every: int = 5,
    generator: torch.Generator | None = None,
) -> tuple[list[bool], Tensor]:
    """Per example: did some suffix make the greedy answer a success; and the final target losses.

    ``prefixes[i]`` is ``[USR] A [INP] region`` (without [AST]); ``success(i, answer_ids)`` judges one answer.
    """
    was = model.training
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    n = len(prefixes)
    allowed = torch.tensor(ATTACK_TOKENS)
    suffix = torch.full((n, suffix_len), TOK["the"], dtype=torch.long)
    done = [False] * n

    def build(suf: Tensor, rows: Sequence[int]) -> tuple[Tensor, Tensor, Tensor]:
        prompts = [[*prefixes[i], *suf[j].tolist(), AST] for j, i in enumerate(rows)]
        ids, mask = pack(prompts, [targets[i] for i in rows])
        ends = ids.shape[1] - torch.tensor([len(targets[i]) for i in rows]) - 1
        pos = ends[:, None] - suffix_len + torch.arange(suffix_len)[None]
        return ids, mask, pos

    def check(rows: list[int]) -> None:
        answers = generate(model, [[*prefixes[i], *suffix[i].tolist(), AST] for i in rows])
        for i, ans in zip(rows, answers, strict=True):
            done[i] = done[i] or success(i, ans)

    check(list(range(n)))
    w = model.tok.weight
    for step in range(1, steps + 1):
        rows = [i for i in range(n) if not done[i]]
        if not rows:
            break
        ids, mask, pos = build(suffix[rows], rows)
        r = torch.arange(len(rows))[:, None]
        onehot = torch.zeros(len(rows), suffix_len, w.shape[0])
        onehot.scatter_(2, ids[r, pos][..., None], 1.0)
        onehot.requires_grad_(True)
        embeds = model.tok(ids).detach().clone()
        embeds[r, pos] = onehot @ w
        loss = _target_loss(model, ids, mask, embeds)
        (grad,) = torch.autograd.grad(loss.sum(), onehot)
        blocked = torch.ones(w.shape[0], dtype=torch.bool)
        blocked[allowed] = False
        grad[..., blocked] = float("inf")
        top = (-grad).topk(topk, dim=-1).indices  # (rows, k, topk)
        # candidates: one random position, one of its top-k tokens
        cpos = torch.randint(suffix_len, (len(rows), candidates), generator=generator)
        cpick = torch.randint(topk, (len(rows), candidates), generator=generator)
        ctok = top[r, cpos, cpick]
        cand = suffix[rows][:, None].repeat(1, candidates, 1)
        cand.scatter_(2, cpos[..., None], ctok[..., None])
        flat = cand.reshape(-1, suffix_len)
        flat_rows = [i for i in rows for _ in range(candidates)]
        with torch.no_grad():
            cids, cmask, _ = build(flat, flat_rows)
            closs = _target_loss(model, cids, cmask).view(len(rows), candidates)
        best = closs.argmin(1)
        for j, i in enumerate(rows):
            if closs[j, best[j]] < loss[j].detach():
                suffix[i] = cand[j, best[j]]
        if step % check_every == 0 or step == steps:
            check(rows)
    with torch.no_grad():
        ids, mask, _ = build(suffix, list(range(n)))
        final = _target_loss(model, ids, mask)
    for p in model.parameters():
        p.requires_grad_(True)
    model.train(was)
    return done, final
