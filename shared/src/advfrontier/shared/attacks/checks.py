"""Sanity checks after a robust evaluation, in the spirit of AutoAttack's ``checks.py``."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advfrontier.shared.threat import ThreatModel

BUDGET_SLACK = 1e-5
"""Floating-point slack allowed on ε (the L2 projection rounds)."""


class SanityError(RuntimeError):
    """A robust evaluation broke an invariant (budget, domain, NaN)."""


def perturbation_norm(x_adv: Tensor, x: Tensor, norm: str) -> Tensor:
    d = (x_adv - x).flatten(1)
    return d.abs().amax(dim=1) if norm == "Linf" else d.norm(dim=1)


def check_budget(x_adv: Tensor, x: Tensor, threat: ThreatModel) -> float:
    """Raise unless every example is within ε and [0, 1]; return the largest perturbation norm."""
    if not torch.isfinite(x_adv).all():
        raise SanityError("adversarial batch contains NaN or inf")
    if x_adv.min() < 0 or x_adv.max() > 1:
        raise SanityError(f"adversarial batch leaves [0,1]: [{x_adv.min():.4g}, {x_adv.max():.4g}]")
    largest = float(perturbation_norm(x_adv, x, threat.norm).max()) if len(x) else 0.0
    if largest > threat.eps + BUDGET_SLACK:
        raise SanityError(f"perturbation norm {largest:.6g} exceeds ε = {threat} ({threat.eps:.6g})")
    return largest


def looks_like_probabilities(logits: Tensor) -> bool:
    """True if the model seems to output probabilities (rows in [0,1] summing to 1), not logits."""
    one = torch.ones((), device=logits.device)  # on the logits' device (a CPU tensor fails on CUDA)
    return bool((logits >= 0).all() and (logits <= 1).all() and torch.allclose(logits.sum(1), one))


def input_gradient_norm(model: nn.Module, x: Tensor, y: Tensor) -> float:
    """Norm of d CE / d x on a batch: zero means the attack has nothing to follow (gradient masking)."""
    x = x.clone().requires_grad_(True)
    loss = torch.nn.functional.cross_entropy(model(x), y)
    (g,) = torch.autograd.grad(loss, x)
    return float(g.norm())
