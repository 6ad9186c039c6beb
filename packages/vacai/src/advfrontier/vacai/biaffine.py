"""Biaffine dependency scorer (Dozat & Manning, 2017), the parser head of DialectBench's baseline.

Arc score s[m, h] = d_mᵀ U e_h + uᵀ e_h (bias on the head side only);
relation scores r[m, h, ℓ] = [d_m; 1]ᵀ W_ℓ [e_h; 1].
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class Biaffine(nn.Module):
    """out[b, i, j, o] = [x_i; 1?]ᵀ W_o [y_j; 1?]."""

    def __init__(self, in_x: int, in_y: int, out: int, bias_x: bool, bias_y: bool) -> None:
        super().__init__()
        self.bias_x, self.bias_y = bias_x, bias_y
        self.weight = nn.Parameter(torch.zeros(out, in_x + bias_x, in_y + bias_y))

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        if self.bias_x:
            x = torch.cat([x, torch.ones_like(x[..., :1])], dim=-1)
        if self.bias_y:
            y = torch.cat([y, torch.ones_like(y[..., :1])], dim=-1)
        return torch.einsum("bix,oxy,bjy->bijo", x, self.weight, y)


class BiaffineParser(nn.Module):
    """MLPs for dependents and heads, a biaffine arc scorer and a biaffine relation scorer."""

    def __init__(self, in_dim: int, n_rels: int, arc_dim: int, rel_dim: int, dropout: float) -> None:
        super().__init__()

        def mlp(d: int) -> nn.Module:
            return nn.Sequential(nn.Linear(in_dim, d), nn.LeakyReLU(0.1), nn.Dropout(dropout))

        self.arc_dep, self.arc_head = mlp(arc_dim), mlp(arc_dim)
        self.rel_dep, self.rel_head = mlp(rel_dim), mlp(rel_dim)
        self.arc = Biaffine(arc_dim, arc_dim, 1, bias_x=False, bias_y=True)
        self.rel = Biaffine(rel_dim, rel_dim, n_rels, bias_x=True, bias_y=True)

    def forward(self, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Arc scores ``[B, N, N]`` (dependent, head) and relation scores ``[B, N, N, L]``."""
        arc = self.arc(self.arc_dep(h), self.arc_head(h)).squeeze(-1)
        rel = self.rel(self.rel_dep(h), self.rel_head(h))
        return arc, rel


def arc_loss(arc: torch.Tensor, heads: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Eq. (P1) [inferred, Dozat & Manning]: mean over words m of −log softmax_h s[m, h] at the gold head."""
    scores = arc.masked_fill(~mask.unsqueeze(1), float("-inf"))
    words = mask.clone()
    words[:, 0] = False  # the root has no head
    return F.cross_entropy(scores[words], heads[words])


def rel_loss(rel: torch.Tensor, heads: torch.Tensor, rels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Eq. (P2) [inferred, Dozat & Manning]: mean over words of −log softmax_ℓ r[m, h*, ℓ], h* gold."""
    words = mask.clone()
    words[:, 0] = False
    at_gold = rel.gather(2, heads[..., None, None].expand(-1, -1, 1, rel.shape[-1])).squeeze(2)
    return F.cross_entropy(at_gold[words], rels[words])
