"""A tiny causal transformer (pre-norm GPT) over the miniature's vocabulary, trained from scratch.

Batches are left-padded with [PAD]; positions count real tokens only and padded keys are masked, so a
sequence's logits do not depend on how much padding sits in front of it. ``forward_embeds`` takes input
embeddings directly (for the GCG token gradient).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from advfrontier.localalign.task import PAD


class Block(nn.Module):
    def __init__(self, d: int, heads: int, ff: int) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.q_proj = nn.Linear(d, d)
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.o_proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))
        self.heads = heads

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        b, t, d = x.shape
        h = self.ln1(x)

        def split(z: Tensor) -> Tensor:
            return z.view(b, t, self.heads, d // self.heads).transpose(1, 2)

        att = F.scaled_dot_product_attention(
            split(self.q_proj(h)), split(self.k_proj(h)), split(self.v_proj(h)), attn_mask=mask
        )
        x = x + self.o_proj(att.transpose(1, 2).reshape(b, t, d))
        return x + self.mlp(self.ln2(x))


class TinyLM(nn.Module):
    """Decoder-only LM: token + position embeddings, ``layers`` blocks, tied output head."""

    def __init__(
        self, vocab: int, d: int = 64, layers: int = 3, heads: int = 4, ff: int = 256, max_len: int = 48
    ):
        super().__init__()
        if d % heads:
            raise ValueError(f"d={d} is not divisible by heads={heads}")
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(Block(d, heads, ff) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.max_len = max_len

    def forward_embeds(self, embeds: Tensor, ids: Tensor) -> Tensor:
        """Logits (batch, T, vocab) from input embeddings; ``ids`` only marks where [PAD] sits."""
        real = ids != PAD
        if ids.shape[1] > self.max_len:
            raise ValueError(f"sequence of {ids.shape[1]} tokens exceeds max_len={self.max_len}")
        pos = (real.long().cumsum(1) - 1).clamp_min(0)
        x = embeds + self.pos(pos)
        t = ids.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool, device=ids.device).tril()
        # each query sees earlier real keys; a padded query sees itself so its softmax is defined
        mask = causal & real[:, None, :]
        mask = mask | torch.eye(t, dtype=torch.bool, device=ids.device)
        mask = mask[:, None]
        for blk in self.blocks:
            x = blk(x, mask)
        return self.ln(x) @ self.tok.weight.T

    def forward(self, ids: Tensor) -> Tensor:
        return self.forward_embeds(self.tok(ids), ids)
