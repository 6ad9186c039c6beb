"""Training objectives of MCAT (paper and released code) and AT-BSL: ``objective(model, x, y) -> loss``.

Models expose ``features(x)`` (φ) and ``head`` (the linear classifier W), take inputs in [0, 1], and are
in train mode when called. Training attacks run in eval mode (``attack_train_mode``), as the shared
PGD-AT and as the released MCAT and AT-BSL code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from advfrontier.mcat.etf import etf_penalty
from advfrontier.mcat.manifold import ClassGenerators, manifold_distance, released_manifold_distance
from advfrontier.shared.attacks.modes import model_mode
from advfrontier.shared.attacks.pgd import ascent_step, project, random_start
from advfrontier.shared.threat import ThreatModel
from advfrontier.shared.train.objectives import ce_pgd_small_start


def ms_pgd_objective(logits: Tensor, d: Tensor, y: Tensor, lam: float, sign: float) -> Tensor:
    # MS-PGD inner objective, per example: CE(f(x+δ), y) + sign·λ·d_My(φ(x+δ)) (appendix Thm. 2: sign +1)
    return F.cross_entropy(logits, y, reduction="none") + sign * lam * d


def mcat_loss(
    logits_adv: Tensor, d_adv: Tensor, y: Tensor, head_weight: Tensor, lam: float, beta: float
) -> Tensor:
    # MCAT outer loss (appendix Thm. 2): E[CE(f(x_adv), y) + λ·d_My(φ(x_adv))] + β·R_ETF(W)
    return F.cross_entropy(logits_adv, y) + lam * d_adv.mean() + beta * etf_penalty(head_weight)


def balanced_softmax_loss(logits: Tensor, y: Tensor, class_counts: Tensor) -> Tensor:
    # AT-BSL (Yue et al., CVPR 2024; balanced softmax of Ren et al., 2020): CE(f(x_adv) + log n_y, y)
    return F.cross_entropy(logits + class_counts.to(logits).log(), y)


def ms_pgd(
    model: nn.Module,
    gen: ClassGenerators,
    x: Tensor,
    y: Tensor,
    threat: ThreatModel,
    steps: int,
    step_size: str | float,
    lam: float,
    sign: float,
    released: bool,
    z_steps: int = 5,
    z_lr: float = 0.1,
    train_mode: bool = False,
) -> Tensor:
    """Manifold-supported PGD: ascend :func:`ms_pgd_objective` from a uniform random start.

    With ``released`` the distance is the released code's (no gradient), so the ascent direction is
    exactly plain CE PGD's.
    """
    alpha = threat.fraction(step_size)
    dist = released_manifold_distance if released else manifold_distance
    delta = random_start(x, threat)
    with model_mode(model, train=train_mode):
        for _ in range(steps):
            delta.requires_grad_(True)
            feats = model.features(x + delta)
            d = dist(gen, feats, y, z_steps, z_lr)
            obj = ms_pgd_objective(model.head(feats), d, y, lam, sign).sum()
            (g,) = torch.autograd.grad(obj, delta)
            delta = project(ascent_step(delta.detach(), g, alpha, threat.norm), x, threat)
    return (x + delta).detach()


@dataclass
class TermLog:
    """Mean CE and mean λ·d of MCAT's outer loss per epoch: does the manifold term swamp the CE term?"""

    epochs: list[dict[str, float]] = field(default_factory=list)
    _sums: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])

    def add(self, ce: Tensor, lam_d: Tensor) -> None:
        n = float(len(ce))
        self._sums[0] += float(ce.detach().sum())
        self._sums[1] += float(lam_d.detach().sum())
        self._sums[2] += n

    def end_epoch(self, *_: object) -> None:
        n = max(self._sums[2], 1.0)
        self.epochs.append({"ce": self._sums[0] / n, "lam_d": self._sums[1] / n})
        self._sums = [0.0, 0.0, 0.0]

    def state_dict(self) -> dict[str, Any]:
        """The finished epochs, for the training checkpoint (a resumed run keeps them)."""
        return {"epochs": [dict(e) for e in self.epochs]}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.epochs = [dict(e) for e in state["epochs"]]
        self._sums = [0.0, 0.0, 0.0]

    def metrics(self) -> dict[str, float]:
        """``ce_ep<k>``, ``lam_d_ep<k>`` (k from 1), their ``_final`` values and ``lam_d_over_ce_final``."""
        out: dict[str, float] = {}
        for k, e in enumerate(self.epochs, start=1):
            out.update({f"{t}_ep{k:02d}": v for t, v in e.items()})
        if self.epochs:
            last = self.epochs[-1]
            out.update({f"{t}_final": v for t, v in last.items()})
            out["lam_d_over_ce_final"] = last["lam_d"] / max(last["ce"], 1e-12)
        return out


@dataclass
class Mcat:
    """MCAT as the paper states it: MS-PGD on CE + λd, then CE + λd + βR_ETF with a differentiable d."""

    gen: ClassGenerators
    threat: ThreatModel
    steps: int = 10
    step_size: str | float = "2/255"
    lam: float = 0.1
    """λ_man: weight of the manifold distance (appendix: 0.1)."""
    beta: float = 3e-3
    """β: weight of R_ETF (appendix: 3e-3)."""
    attack_sign: float = 1.0
    """+1: the inner max of ℓ + λd (appendix Thm. 2); −1: CE − λd (the released code's attack)."""
    z_steps: int = 5
    z_lr: float = 0.1
    attack_train_mode: bool = False
    log: TermLog | None = None
    """Where to record the mean CE and λ·d of every batch (None: not recorded)."""

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        x_adv = ms_pgd(
            model, self.gen, x, y, self.threat, self.steps, self.step_size, self.lam, self.attack_sign,
            released=False, z_steps=self.z_steps, z_lr=self.z_lr, train_mode=self.attack_train_mode,
        )  # fmt: skip
        feats = model.features(x_adv)
        d = manifold_distance(self.gen, feats, y, self.z_steps, self.z_lr)
        logits = model.head(feats)
        if self.log is not None:
            self.log.add(F.cross_entropy(logits, y, reduction="none"), self.lam * d)
        return mcat_loss(logits, d, y, model.head.weight, self.lam, self.beta)


@dataclass
class McatReleased:
    """The released code: MS-PGD with a gradient-free d (= CE PGD), then CE + β_g·R_ETF (no d term)."""

    gen: ClassGenerators
    threat: ThreatModel
    steps: int = 10
    step_size: str | float = "2/255"
    lam: float = 0.2
    """λ_m of the released attack (CE − λ_m·d); without gradient it changes nothing."""
    beta: float = 1.0
    """β_g of the released code."""
    z_steps: int = 5
    z_lr: float = 0.1
    attack_train_mode: bool = False

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        x_adv = ms_pgd(
            model, self.gen, x, y, self.threat, self.steps, self.step_size, self.lam, -1.0,
            released=True, z_steps=self.z_steps, z_lr=self.z_lr, train_mode=self.attack_train_mode,
        )  # fmt: skip
        d = torch.zeros(len(y), device=x.device)  # logged as "drift" only in the released code
        return mcat_loss(model(x_adv), d, y, model.head.weight, 0.0, self.beta)


@dataclass
class AtBsl:
    """AT-BSL: CE PGD-k (eval mode, start x + 0.001·N(0, I)), then the balanced softmax on x_adv."""

    threat: ThreatModel
    class_counts: Tensor
    steps: int = 10
    step_size: str | float = "2/255"
    attack_train_mode: bool = False

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        x_adv = ce_pgd_small_start(
            model, x, y, self.threat, self.steps, self.step_size, self.attack_train_mode
        )
        return balanced_softmax_loss(model(x_adv), y, self.class_counts)
