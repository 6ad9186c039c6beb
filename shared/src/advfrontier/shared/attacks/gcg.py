"""GCG (Zou et al., 2023) for one prompt of a Hugging Face causal LM: an adversarial token suffix.

The input is ``before + suffix + after + target`` (token ids; ``before`` ends with the user's text, ``after``
is the rest of the chat template). Each step takes the gradient of the target's mean cross-entropy with
respect to the one-hot suffix, keeps the ``topk`` tokens with the most negative gradient per position,
draws ``candidates`` suffixes that each replace ``n_replace`` random positions by one of those tokens, and
moves to the candidate of lowest loss (nanoGCG moves even when it is worse; here the current suffix is
kept unless a candidate improves on it, so the best loss never rises). With a tokenizer, candidates that
do not survive decode → encode unchanged are dropped, as nanoGCG's ``filter_ids`` does, so the suffix
found is one a user could type. ``success(suffix)`` is asked every ``check_every`` steps and ends the
attack early (nanoGCG's early stop).

Written here rather than taken from nanoGCG (the kept library) because nanogcg 0.3 pins
``transformers <= 4.47.1`` and this workspace runs transformers 5.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from advfrontier.shared.attacks.modes import model_mode


@dataclass
class GCGResult:
    """The suffix found, its target loss, the best loss after each step, and whether ``success`` fired."""

    suffix: Tensor
    loss: float
    losses: list[float] = field(default_factory=list)
    success: bool = False


def _target_loss(model: nn.Module, embeds: Tensor, target: Tensor) -> Tensor:
    """Mean CE of ``target`` (T,) after each row of ``embeds`` (n, L, d), which ends with target[:-1]: the
    last T positions predict the T target tokens."""
    logits = model(inputs_embeds=embeds).logits[:, -target.numel() :]
    ce = F.cross_entropy(logits.transpose(1, 2).float(), target.expand(embeds.shape[0], -1), reduction="none")
    return ce.mean(1)


def ascii_token_ids(tok: Any) -> Tensor:
    """Ids of the tokens that decode to non-empty printable ASCII and are not special tokens (nanoGCG's
    default vocabulary: ``allow_non_ascii=False``)."""
    special = set(getattr(tok, "all_special_ids", []) or [])
    keep = []
    for i in range(len(tok)):
        text = tok.decode([i])
        if i not in special and text.strip() and text.isascii() and text.isprintable():
            keep.append(i)
    return torch.tensor(keep, dtype=torch.long)


def _retokenizes(tok: Any, ids: Tensor) -> Tensor:
    """Rows of ``ids`` (n, m) that decode → encode to themselves."""
    texts = tok.batch_decode(ids)
    keep = [
        tok(t, add_special_tokens=False)["input_ids"] == row.tolist()
        for t, row in zip(texts, ids, strict=True)
    ]
    return torch.tensor(keep, dtype=torch.bool)


def gcg(
    model: nn.Module,
    before: Tensor,
    after: Tensor,
    target: Tensor,
    *,
    suffix_len: int = 20,
    steps: int = 500,
    topk: int = 256,
    candidates: int = 512,
    n_replace: int = 1,
    init_token: int,
    allowed: Tensor | None = None,
    tok: Any = None,
    success: Callable[[Tensor], bool] | None = None,
    check_every: int = 10,
    batch: int = 128,
    generator: torch.Generator | None = None,
) -> GCGResult:
    """Search a suffix (``suffix_len`` tokens from ``allowed``, default every token) that makes the model
    emit ``target`` after ``before + suffix + after``; all id tensors are 1-D on the model's device."""
    if suffix_len < 1 or steps < 0 or topk < 1 or candidates < 1 or not 1 <= n_replace <= suffix_len:
        raise ValueError(
            "GCG needs suffix_len, topk, candidates >= 1, steps >= 0, 1 <= n_replace <= suffix_len"
        )
    w = model.get_input_embeddings().weight
    dev = w.device
    allowed = torch.arange(w.shape[0], device=dev) if allowed is None else allowed.to(dev)
    suffix = torch.full((suffix_len,), init_token, dtype=torch.long, device=dev)
    head, tail = before.to(dev), torch.cat([after.to(dev), target.to(dev)[:-1]])
    target = target.to(dev)
    result = GCGResult(suffix.clone(), float("inf"))

    e = model.get_input_embeddings()

    def embeds_of(suf: Tensor) -> Tensor:  # (n, m) suffixes -> (n, L, d)
        n = suf.shape[0]
        return torch.cat([head_e.expand(n, -1, -1), e(suf), tail_e.expand(n, -1, -1)], dim=1)

    with model_mode(model, False):
        grads_were = [p.requires_grad for p in model.parameters()]
        for p in model.parameters():
            p.requires_grad_(False)
        try:
            head_e, tail_e = e(head)[None], e(tail)[None]  # fixed parts, embedded once
            with torch.no_grad():
                result.loss = float(_target_loss(model, embeds_of(suffix[None]), target))
            for step in range(1, steps + 1):
                onehot = F.one_hot(suffix, w.shape[0]).to(w.dtype).requires_grad_(True)
                x = torch.cat([head_e, (onehot @ w)[None], tail_e], dim=1)
                (grad,) = torch.autograd.grad(_target_loss(model, x, target).sum(), onehot)
                top = allowed[(-grad[:, allowed]).topk(min(topk, allowed.numel()), dim=1).indices]  # (m, k)
                pos = (
                    torch.rand(candidates, suffix_len, generator=generator).argsort(1)[:, :n_replace].to(dev)
                )
                pick = torch.randint(top.shape[1], (candidates, n_replace), generator=generator).to(dev)
                cand = suffix.repeat(candidates, 1)
                cand.scatter_(1, pos, top[pos, pick])
                if tok is not None:
                    cand = cand[_retokenizes(tok, cand).to(dev)]
                if len(cand):
                    with torch.no_grad():
                        loss = torch.cat(
                            [
                                _target_loss(model, embeds_of(cand[s : s + batch]), target)
                                for s in range(0, len(cand), batch)
                            ]
                        )
                    best = int(loss.argmin())
                    if float(loss[best]) < result.loss:
                        suffix, result.loss = cand[best].clone(), float(loss[best])
                result.losses.append(result.loss)
                if success is not None and (step % check_every == 0 or step == steps) and success(suffix):
                    result.success = True
                    break
        finally:
            for p, r in zip(model.parameters(), grads_were, strict=True):
                p.requires_grad_(r)
    result.suffix = suffix
    return result


SUFFIX_MARK = "<<ADVFRONTIER_GCG_SUFFIX>>"
"""Where the suffix goes in a rendered prompt (nanoGCG's ``{optim_str}``)."""
_ALLOWED: dict[int, tuple[Any, Tensor]] = {}
"""Tokenizer id -> (the tokenizer, its allowed ids); holding the tokenizer keeps its id from being reused."""


def gcg_text(
    model: nn.Module,
    tok: Any,
    prompt: str,
    target: str,
    judge: Callable[[str], bool],
    *,
    gen_tokens: int = 32,
    init: str = "!",
    **kwargs: Any,
) -> bool:
    """GCG on a rendered ``prompt`` that holds :data:`SUFFIX_MARK` once, towards the text ``target``,
    over printable-ASCII tokens that survive decode → encode; ``judge`` reads the greedy continuation
    (``gen_tokens`` tokens) and ends the attack early. True when the final suffix's answer passes it.
    ``kwargs`` go to :func:`gcg` (suffix_len, steps, topk, candidates, n_replace, batch, generator)."""
    if prompt.count(SUFFIX_MARK) != 1:
        raise ValueError("the prompt must hold SUFFIX_MARK exactly once (where the suffix goes)")
    dev = model.get_input_embeddings().weight.device
    if id(tok) not in _ALLOWED:
        _ALLOWED[id(tok)] = (tok, ascii_token_ids(tok))

    def ids(text: str) -> Tensor:
        return torch.tensor(tok(text, add_special_tokens=False)["input_ids"], dtype=torch.long, device=dev)

    pre, post = prompt.split(SUFFIX_MARK)
    before, after = ids(pre), ids(post)

    @torch.no_grad()
    def passes(suffix: Tensor) -> bool:
        x = torch.cat([before, suffix, after])[None]
        out = model.generate(
            input_ids=x,
            attention_mask=torch.ones_like(x),
            do_sample=False,
            max_new_tokens=gen_tokens,
            pad_token_id=tok.pad_token_id,
        )
        return judge(tok.decode(out[0, x.shape[1] :], skip_special_tokens=True))

    init_id = tok(init, add_special_tokens=False)["input_ids"][-1]
    res = gcg(
        model, before, after, ids(target), init_token=init_id, allowed=_ALLOWED[id(tok)][1], tok=tok,
        success=passes, **kwargs,
    )  # fmt: skip
    return res.success or passes(res.suffix)
