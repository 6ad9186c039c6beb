"""Robust accuracy over several attacks, worst case per example, with sanity checks after."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

from advfrontier.shared.attacks.checks import (
    SanityError,
    check_budget,
    input_gradient_norm,
    looks_like_probabilities,
)
from advfrontier.shared.attacks.modes import model_mode
from advfrontier.shared.threat import ThreatModel

Attack = Callable[[nn.Module, Tensor, Tensor], Tensor]
"""``attack(model, x, y) -> x_adv``; bind the threat model and steps with functools.partial."""


@dataclass
class RobustReport:
    """Accuracies in [0, 1]: clean, per attack, and the per-example worst case over all attacks."""

    clean: float
    per_attack: dict[str, float]
    worst_case: float
    max_perturbation: float
    n: int
    warnings: list[str] = field(default_factory=list)


@torch.no_grad()
def _correct(model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
    return model(x).argmax(1) == y


def robust_evaluate(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    attacks: Mapping[str, Attack],
    threat: ThreatModel,
    batch_size: int = 256,
) -> RobustReport:
    """Run each attack on every batch; an example counts as robust only if no attack fools it.

    Raises :class:`SanityError` when a perturbation leaves its budget or the outputs hold NaN; adds a
    warning when the model seems to output probabilities or its input gradient vanishes.
    """
    device = next(model.parameters()).device
    clean_ok = torch.zeros(len(x), dtype=torch.bool)
    per = {name: torch.zeros(len(x), dtype=torch.bool) for name in attacks}
    largest = 0.0
    warnings: list[str] = []
    with model_mode(model, train=False):
        for i in range(0, len(x), batch_size):
            xb, yb = x[i : i + batch_size].to(device), y[i : i + batch_size].to(device)
            with torch.no_grad():
                logits = model(xb)
            if not torch.isfinite(logits).all():
                raise SanityError("model outputs NaN or inf on clean inputs")
            if i == 0:
                if looks_like_probabilities(logits):
                    warnings.append("outputs look like probabilities, not logits: CE attacks will be weak")
                with torch.enable_grad():
                    if input_gradient_norm(model, xb, yb) == 0.0:
                        warnings.append("input gradient is zero: gradient-based attacks cannot move")
            clean_ok[i : i + batch_size] = (logits.argmax(1) == yb).cpu()
            for name, attack in attacks.items():
                x_adv = attack(model, xb, yb)
                largest = max(largest, check_budget(x_adv, xb, threat))
                per[name][i : i + batch_size] = _correct(model, x_adv, yb).cpu()
    worst = clean_ok.clone()
    for ok in per.values():
        worst &= ok
    n = max(len(x), 1)
    return RobustReport(
        clean=float(clean_ok.sum()) / n,
        per_attack={k: float(v.sum()) / n for k, v in per.items()},
        worst_case=float(worst.sum()) / n,
        max_perturbation=largest,
        n=len(x),
        warnings=warnings,
    )
