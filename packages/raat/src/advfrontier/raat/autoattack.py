"""Standard AutoAttack accuracy and its sanity checks, from the shared torchattacks-based implementation."""

from __future__ import annotations

from torch import nn

from advfrontier.shared.attacks.autoattack import autoattack, eps_sweep
from advfrontier.shared.data.splits import Split
from advfrontier.shared.threat import ThreatModel

SWEEP: tuple[float, ...] = (2.0, 4.0)
"""ε multiples of the sanity sweep (APGD-CE + APGD-T); robust accuracy should reach 0 %."""


def autoattack_metrics(
    model: nn.Module, data: Split, threat: ThreatModel, num_classes: int, size: int | None = None
) -> dict[str, float]:
    """``aa_acc`` (%, standard AutoAttack, worst case per example) on the first ``size`` examples, the
    zero-gradient fraction (%) of clean-correct examples and ``aa_sweep_x<k>`` (%) at ε·k."""
    if size is not None:
        data = data.subset(range(min(size, len(data))))
    rep = autoattack(model, data.x, data.y, threat, num_classes)
    out = {"aa_acc": 100 * rep.accuracy, "aa_zero_grad_pct": 100 * rep.zero_grad_fraction}
    for k, acc in eps_sweep(model, data.x, data.y, threat, num_classes, factors=SWEEP).items():
        out[f"aa_sweep_x{k:g}"] = 100 * acc
    return out
