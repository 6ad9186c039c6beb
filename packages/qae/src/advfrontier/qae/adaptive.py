"""Adaptive PGD through a whole pipeline (Tramèr et al. 2020): through the purifier, and through the
detector's score as well.

``adaptive_pgd`` ascends a per-example objective of (logits, signals) of the pipeline under L∞ ε on [0, 1]
pixels, keeping per example the first iterate that meets the attacker's goal (``success``), else the last.
Objectives:

* ``ce``: cross-entropy through purifier + classifier (detector-unaware);
* ``detector``: the CW margin min(max_{j≠y} z_j − z_y, κ) (a confident wrong class passes the margin rule;
  κ = the median clean-validation margin of the pipeline) plus the purifier's signal standardised on clean
  validation data (keeps F high, or the reconstruction error low). The rules threshold empirical CDFs,
  which are piecewise constant; as in BPDA (Athalye et al. 2018) the attack differentiates the monotone
  signal underneath instead. Success: misclassified and accepted by the pipeline's strictest rule.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from advfrontier.qae.pipelines import Pipeline
from advfrontier.shared.attacks import ce_loss, check_budget, cw_margin_loss
from advfrontier.shared.attacks.pgd import ascent_step, project, random_start
from advfrontier.shared.threat import ThreatModel

Objective = Callable[[Tensor, dict[str, Tensor], Tensor], Tensor]
Success = Callable[[Tensor, dict[str, Tensor], Tensor], Tensor]


def ce_objective(logits: Tensor, signals: dict[str, Tensor], y: Tensor) -> Tensor:
    return ce_loss(logits, y)


def misclassified(logits: Tensor, signals: dict[str, Tensor], y: Tensor) -> Tensor:
    return logits.argmax(1) != y


def detector_objective(kappa: float, mean: float | None, std: float | None) -> Objective:
    """CW margin (capped at κ) + the purifier signal standardised by clean-validation mean and std."""

    def objective(logits: Tensor, signals: dict[str, Tensor], y: Tensor) -> Tensor:
        out = cw_margin_loss(logits, y, kappa)
        if mean is not None and "purifier" in signals:
            out = out + (signals["purifier"].to(out.dtype) - mean) / max(std or 1.0, 1e-12)
        return out

    return objective


def adaptive_pgd(
    pipe: Pipeline, x: Tensor, y: Tensor, threat: ThreatModel, steps: int, step_size: str,
    objective: Objective, success: Success, generator: torch.Generator, batch_size: int = 256,
) -> Tensor:  # fmt: skip
    """PGD-``steps`` on ``objective`` through ``pipe``; per example the first successful iterate."""
    alpha = threat.fraction(step_size)
    out = []
    for i in range(0, len(x), batch_size):
        xb, yb = x[i : i + batch_size].detach(), y[i : i + batch_size]
        best, done = xb.clone(), torch.zeros(len(xb), dtype=torch.bool, device=xb.device)
        delta = random_start(xb, threat, generator)
        with torch.enable_grad():
            for step in range(steps + 1):
                delta.requires_grad_(True)
                logits, sig = pipe.signals(xb + delta)
                with torch.no_grad():
                    hit = success(logits, sig, yb) & ~done
                    best[hit] = (xb + delta).detach()[hit]
                    done |= hit
                if step == steps:
                    break
                (grad,) = torch.autograd.grad(objective(logits, sig, yb).sum(), delta)
                delta = project(ascent_step(delta.detach(), grad, alpha, threat.norm), xb, threat)
        best[~done] = (xb + delta).detach()[~done]
        out.append(best)
    adv = torch.cat(out)
    check_budget(adv, x, threat)
    return adv
