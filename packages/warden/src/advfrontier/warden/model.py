"""A small Llama-architecture causal LM built from a config (no weights downloaded) and its sequence
losses: per-example response NLL given (possibly perturbed) prompt embeddings, and greedy decoding."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def build_llama(
    vocab_size: int, hidden: int, layers: int, heads: int, intermediate: int, max_len: int = 64
) -> nn.Module:
    """A randomly initialised ``LlamaForCausalLM`` of the given size (RMSNorm, RoPE, SwiGLU)."""
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=hidden,
        intermediate_size=intermediate,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=heads,
        max_position_embeddings=max_len,
        tie_word_embeddings=False,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=3,
    )
    return LlamaForCausalLM(cfg)


def embed(model: nn.Module, ids: Tensor) -> Tensor:
    """Input embeddings of token ids."""
    return model.get_input_embeddings()(ids)


def mean_embedding_norm(model: nn.Module) -> float:
    """Mean L2 norm of the rows of the input embedding matrix (the scale of CAT's ε)."""
    return float(model.get_input_embeddings().weight.detach().norm(dim=-1).mean())


def response_nll(
    model: nn.Module,
    prompt_embeds: Tensor,
    response: Tensor,
    pad_id: int = 0,
    attention_mask: Tensor | None = None,
    response_mask: Tensor | None = None,
) -> Tensor:
    """Per-example mean cross-entropy of ``response`` (n, R; ``pad_id`` ignored) after the prompt (n,P,d)."""
    p = prompt_embeds.shape[1]
    x = torch.cat([prompt_embeds, embed(model, response[:, :-1]).to(prompt_embeds.dtype)], dim=1)
    kwargs = {}
    if attention_mask is not None:  # left-padded prompts: mask the padding, count positions from the text
        mask = torch.cat([attention_mask, torch.ones_like(response[:, :-1])], dim=1)
        kwargs = {"attention_mask": mask, "position_ids": (mask.cumsum(1) - 1).clamp_min(0)}
    logits = model(inputs_embeds=x, **kwargs).logits[:, p - 1 :]
    tok = F.cross_entropy(logits.transpose(1, 2).float(), response, reduction="none")
    keep = (response != pad_id) if response_mask is None else response_mask.bool()
    keep = keep.to(tok.dtype)
    return (tok * keep).sum(1) / keep.sum(1).clamp_min(1.0)


@torch.no_grad()
def greedy(model: nn.Module, prompt_embeds: Tensor, steps: int) -> Tensor:
    """Greedy continuation (n, steps) of the prompt embeddings (no cache: the miniature is tiny)."""
    x = prompt_embeds
    out = []
    for _ in range(steps):
        nxt = model(inputs_embeds=x).logits[:, -1].argmax(-1)
        out.append(nxt)
        x = torch.cat([x, embed(model, nxt[:, None]).to(x.dtype)], dim=1)
    return torch.stack(out, dim=1)


def next_token_logits(model: nn.Module, rows: list[list[int]], pad_id: int) -> Tensor:
    """Logits (n, V) of the token after each id list, run as one left-padded batch (padding masked, positions
    counted from each row's first real token)."""
    device = next(model.parameters()).device
    n = max(map(len, rows))
    x = torch.tensor([[pad_id] * (n - len(r)) + r for r in rows], device=device)
    mask = torch.tensor([[0] * (n - len(r)) + [1] * len(r) for r in rows], device=device)
    pos = (mask.cumsum(1) - 1).clamp_min(0)
    return model(input_ids=x, attention_mask=mask, position_ids=pos).logits[:, -1]
