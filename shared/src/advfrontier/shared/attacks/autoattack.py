"""Standard AutoAttack (Croce & Hein, ICML 2020) from torchattacks' components, with its sanity checks.

The official ``autoattack`` package is not on PyPI, and torchattacks 3.5.1's ``AutoAttack`` wrapper runs
its attacks with 10 iterations; the standard version is, in this order, each on the points still robust:

1. APGD-CE, 100 iterations, no restarts;
2. APGD-T (targeted DLR), 100 iterations, 9 target classes (fewer when C − 1 < 9);
3. FAB-T, 100 iterations, 9 target classes;
4. Square, 5000 queries (L∞; skipped for other norms, as AutoAttack's L2 "standard" also runs it).

The result is the per-example worst case over the four attacks. Sanity checks (AutoAttack's
``checks.py`` spirit): every adversarial batch within ε and [0, 1]; the per-example zero-gradient
fraction (inputs whose CE gradient is exactly zero: gradient masking leaves the attacks blind); and an
ε sweep, where robust accuracy must fall to 0 % at a large enough ε. Inputs in [0, 1]; the model
returns logits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from advfrontier.shared.attacks.checks import check_budget
from advfrontier.shared.attacks.modes import model_mode
from advfrontier.shared.threat import ThreatModel

ATTACKS: tuple[str, ...] = ("apgd-ce", "apgd-t", "fab-t", "square")


@dataclass(frozen=True)
class AutoAttackConfig:
    """Iterations of the standard version; tests may lower them, results must say when they do."""

    apgd_steps: int = 100
    targets: int = 9
    """Target classes of APGD-T and FAB-T (capped at C − 1)."""
    fab_steps: int = 100
    square_queries: int = 5000
    attacks: tuple[str, ...] = ATTACKS
    seed: int = 0

    def __post_init__(self) -> None:
        unknown = set(self.attacks) - set(ATTACKS)
        if unknown:
            raise ValueError(f"unknown AutoAttack component(s) {sorted(unknown)}; expected {ATTACKS}")
        if min(self.apgd_steps, self.targets, self.fab_steps, self.square_queries) < 1:
            raise ValueError("AutoAttack steps, targets and queries must be >= 1")


STANDARD = AutoAttackConfig()


@dataclass(frozen=True)
class AutoAttackReport:
    """Per-example robustness after each component and the sanity numbers."""

    robust: Tensor
    """Bool per example: correct on the clean input and fooled by no component."""
    clean: Tensor
    """Bool per example: correct on the clean input."""
    after: dict[str, float] = field(default_factory=dict)
    """Robust accuracy (fraction) after each component, cumulatively."""
    zero_grad_fraction: float = 0.0
    """Fraction of clean-correct examples whose CE input gradient is exactly zero."""
    largest_perturbation: float = 0.0

    @property
    def accuracy(self) -> float:
        return float(self.robust.float().mean()) if len(self.robust) else 0.0


def _components(model: nn.Module, threat: ThreatModel, n_classes: int, cfg: AutoAttackConfig) -> dict:
    try:
        import torchattacks
    except ImportError as err:  # pragma: no cover - torchattacks is a dependency of the papers using this
        raise ImportError("AutoAttack needs torchattacks==3.5.1 (a dependency of raat and mcat)") from err
    eps, norm = threat.eps, threat.norm
    targets = max(1, min(cfg.targets, n_classes - 1))
    out = {}
    for name in cfg.attacks:
        if name == "apgd-ce":
            atk = torchattacks.APGD(model, norm=norm, eps=eps, steps=cfg.apgd_steps, n_restarts=1,
                                    loss="ce", seed=cfg.seed)  # fmt: skip
        elif name == "apgd-t":
            atk = torchattacks.APGDT(model, norm=norm, eps=eps, steps=cfg.apgd_steps, n_restarts=1,
                                     seed=cfg.seed, n_classes=n_classes)  # fmt: skip
            atk.n_target_classes = targets
        elif name == "fab-t":
            atk = torchattacks.FAB(model, norm=norm, eps=eps, steps=cfg.fab_steps, n_restarts=1,
                                   seed=cfg.seed, multi_targeted=True, n_classes=n_classes)  # fmt: skip
            atk.n_target_classes = targets
        else:
            if norm != "Linf":
                continue
            atk = torchattacks.Square(model, norm=norm, eps=eps, n_queries=cfg.square_queries,
                                      n_restarts=1, seed=cfg.seed)  # fmt: skip
        out[name] = atk
    return out


def zero_gradient_mask(model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
    """Bool per example: the gradient of its own CE loss with respect to its input is exactly zero."""
    with model_mode(model, train=False), torch.enable_grad():
        x = x.clone().requires_grad_(True)
        loss = F.cross_entropy(model(x), y, reduction="sum")
        (g,) = torch.autograd.grad(loss, x)
    return g.flatten(1).abs().amax(1) == 0


def autoattack(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    threat: ThreatModel,
    n_classes: int,
    cfg: AutoAttackConfig = STANDARD,
    batch_size: int = 256,
) -> AutoAttackReport:
    """Run the components in order, each on the examples that are still robust; worst case per example."""
    device = next(model.parameters()).device
    clean = torch.zeros(len(x), dtype=torch.bool)
    zero_grad = torch.zeros(len(x), dtype=torch.bool)
    with model_mode(model, train=False):
        for i in range(0, len(x), batch_size):
            xb, yb = x[i : i + batch_size].to(device), y[i : i + batch_size].to(device)
            with torch.no_grad():
                clean[i : i + len(yb)] = (model(xb).argmax(1) == yb).cpu()
            zero_grad[i : i + len(yb)] = zero_gradient_mask(model, xb, yb).cpu()
        robust = clean.clone()
        after: dict[str, float] = {}
        largest = 0.0
        for name, atk in _components(model, threat, n_classes, cfg).items():
            idx = torch.nonzero(robust).flatten()
            for j in range(0, len(idx), batch_size):
                rows = idx[j : j + batch_size]
                xb, yb = x[rows].to(device), y[rows].to(device)
                x_adv = atk(xb, yb).detach()
                largest = max(largest, check_budget(x_adv, xb, threat))
                with torch.no_grad():
                    fooled = (model(x_adv).argmax(1) != yb).cpu()
                robust[rows[fooled]] = False
            after[name] = float(robust.float().mean()) if len(x) else 0.0
    n_clean = max(int(clean.sum()), 1)
    return AutoAttackReport(
        robust=robust,
        clean=clean,
        after=after,
        zero_grad_fraction=float((zero_grad & clean).sum()) / n_clean,
        largest_perturbation=largest,
    )


def eps_sweep(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    threat: ThreatModel,
    n_classes: int,
    factors: Sequence[float] = (1.0, 2.0, 4.0, 8.0),
    cfg: AutoAttackConfig | None = None,
) -> dict[float, float]:
    """Robust accuracy (fraction) under APGD-CE + APGD-T at ε·factor (capped at 1); should reach 0."""
    cfg = cfg or AutoAttackConfig(attacks=("apgd-ce", "apgd-t"))
    out: dict[float, float] = {}
    for f in factors:
        eps = min(Fraction(threat.eps_text) * Fraction(f), Fraction(1))
        tm = ThreatModel(threat.norm, str(eps))
        out[f] = autoattack(model, x, y, tm, n_classes, cfg).accuracy
    return out
