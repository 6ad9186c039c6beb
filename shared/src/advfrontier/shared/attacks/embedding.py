"""Embedding-space PGD for token models: perturb each token's input embedding within a ball.

Token models have no continuous input to attack, so (as in embedding-space adversarial training of
LLMs, e.g. Xhonneux et al., 2024) the attack moves the input embeddings e_t of the tokens selected by
``mask`` within ||δ_t|| ≤ ε per token (L2 or L∞), ascending (or descending) a loss the caller supplies.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

_TINY = 1e-12


def _project_tokens(delta: Tensor, eps: float, norm: str) -> Tensor:
    if norm == "Linf":
        return delta.clamp(-eps, eps)
    n = delta.norm(dim=-1, keepdim=True).clamp_min(_TINY)
    return delta * torch.clamp(eps / n, max=1.0)


def embedding_pgd(
    loss_fn: Callable[[Tensor], Tensor],
    embeds: Tensor,
    eps: float,
    steps: int = 10,
    step_size: float | None = None,
    *,
    norm: str = "L2",
    mask: Tensor | None = None,
    maximize: bool = True,
    rand_init: bool = True,
    generator: torch.Generator | None = None,
) -> Tensor:
    """Return perturbed embeddings e + δ with ||δ_t|| ≤ ε for every token t (δ_t = 0 outside ``mask``).

    ``embeds`` is (batch, tokens, dim); ``loss_fn`` maps perturbed embeddings to a scalar or per-example
    loss; ``mask`` is (batch, tokens), True where tokens may move.
    """
    if norm not in ("L2", "Linf"):
        raise ValueError(f"norm must be 'L2' or 'Linf', got {norm!r}")
    alpha = 2.5 * eps / max(steps, 1) if step_size is None else step_size
    e = embeds.detach()
    m = torch.ones(e.shape[:-1], dtype=e.dtype, device=e.device) if mask is None else mask.to(e.dtype)
    m = m.unsqueeze(-1)
    if rand_init:
        noise = torch.randn(e.shape, generator=generator, dtype=e.dtype).to(e.device)
        delta = _project_tokens(noise * eps * 0.5, eps, norm) * m
    else:
        delta = torch.zeros_like(e)
    sign = 1.0 if maximize else -1.0
    for _ in range(steps):
        delta.requires_grad_(True)
        with torch.enable_grad():
            (grad,) = torch.autograd.grad(sign * loss_fn(e + delta).sum(), delta)
        if norm == "Linf":
            update = grad.sign()
        else:
            update = grad / grad.norm(dim=-1, keepdim=True).clamp_min(_TINY)
        delta = _project_tokens(delta.detach() + alpha * update, eps, norm) * m
    return (e + delta).detach()
