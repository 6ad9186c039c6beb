"""Training objectives: a callable ``objective(model, x, y) -> scalar loss`` for one batch.

The model is in train mode when called; whether the inner attack runs in train or eval mode is a
field (``attack_train_mode``), because papers differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from advfrontier.shared.attacks.modes import model_mode
from advfrontier.shared.attacks.pgd import ascent_step, pgd, project
from advfrontier.shared.threat import ThreatModel


class Objective(Protocol):
    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor: ...


@dataclass(frozen=True)
class Standard:
    """Empirical risk: mean CE on clean inputs."""

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        return F.cross_entropy(model(x), y)


@dataclass(frozen=True)
class MadryPGD:
    """PGD-AT (Madry et al., 2018): min_θ E max_{δ∈B_ε} CE(f(x+δ), y), inner max by PGD-k."""

    threat: ThreatModel
    steps: int = 10
    step_size: str | float = "2/255"
    attack_train_mode: bool = False

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        x_adv = pgd(
            model, x, y, self.threat, self.steps, self.step_size,
            train_mode=self.attack_train_mode, keep_best=False,
        )  # fmt: skip
        return F.cross_entropy(model(x_adv), y)


def trades_kl(logits_adv: Tensor, logits_clean: Tensor) -> Tensor:
    """Per-example KL(f(x) || f(x')) on softmax outputs (Zhang et al., 2019, Eq. 5)."""
    return F.kl_div(F.log_softmax(logits_adv, 1), F.softmax(logits_clean, 1), reduction="none").sum(1)


@dataclass(frozen=True)
class Trades:
    """TRADES (Zhang et al., 2019): CE(f(x), y) + β·max_{x'∈B_ε} KL(f(x) || f(x')), Eq. 5.

    The inner max starts at x + 0.001·N(0, I) and takes signed (L∞) or normalised (L2) steps.
    """

    threat: ThreatModel
    steps: int = 10
    step_size: str | float = "2/255"
    beta: float = 6.0
    attack_train_mode: bool = False

    def adversary(self, model: nn.Module, x: Tensor) -> Tensor:
        alpha = self.threat.fraction(self.step_size)
        with model_mode(model, train=self.attack_train_mode), torch.no_grad():
            clean = model(x)
        delta = project(0.001 * torch.randn_like(x), x, self.threat)
        with model_mode(model, train=self.attack_train_mode):
            for _ in range(self.steps):
                delta.requires_grad_(True)
                (g,) = torch.autograd.grad(trades_kl(model(x + delta), clean).sum(), delta)
                delta = project(ascent_step(delta.detach(), g, alpha, self.threat.norm), x, self.threat)
        return (x + delta).detach()

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        x_adv = self.adversary(model, x)
        logits = model(x)
        return F.cross_entropy(logits, y) + self.beta * trades_kl(model(x_adv), logits).mean()


def ce_pgd_small_start(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    threat: ThreatModel,
    steps: int,
    step_size: str | float,
    train_mode: bool = False,
) -> Tensor:
    """The inner max of MART-style trainers: PGD-k on mean CE from x + 0.001·N(0, I), last iterate."""
    alpha = threat.fraction(step_size)
    delta = project(0.001 * torch.randn_like(x), x, threat)
    with model_mode(model, train=train_mode):
        for _ in range(steps):
            delta.requires_grad_(True)
            (g,) = torch.autograd.grad(F.cross_entropy(model(x + delta), y), delta)
            delta = project(ascent_step(delta.detach(), g, alpha, threat.norm), x, threat)
    return (x + delta).detach()


def mart_loss(logits_adv: Tensor, logits_clean: Tensor, y: Tensor, beta: float) -> Tensor:
    """MART (Wang et al., 2020, Eq. 8): BCE(p', y) + β·KL(p || p')·(1 − p_y), batch mean.

    BCE(p', y) = −log p'_y − log(1.0001 − max_{k≠y} p'_k) (the boosted CE of the released code).
    """
    p_adv = F.softmax(logits_adv, 1)
    p_clean = F.softmax(logits_clean, 1)
    others = p_adv.masked_fill(F.one_hot(y, p_adv.shape[1]).bool(), -1.0).max(1).values
    bce = F.cross_entropy(logits_adv, y, reduction="none") - torch.log(1.0001 - others)
    true_prob = p_clean.gather(1, y[:, None]).squeeze(1)
    kl = F.kl_div(torch.log(p_adv + 1e-12), p_clean, reduction="none").sum(1)
    return (bce + beta * kl * (1.0 - true_prob)).mean()


@dataclass(frozen=True)
class Mart:
    """MART (Wang et al., 2020): PGD-k (CE) from x + 0.001·N(0, I), then :func:`mart_loss`."""

    threat: ThreatModel
    steps: int = 10
    step_size: str | float = "2/255"
    beta: float = 6.0
    attack_train_mode: bool = False

    def adversary(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        t = self.threat
        return ce_pgd_small_start(model, x, y, t, self.steps, self.step_size, self.attack_train_mode)

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        x_adv = self.adversary(model, x, y)
        return mart_loss(model(x_adv), model(x), y, self.beta)
