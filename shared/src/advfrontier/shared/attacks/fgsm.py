"""Fast gradient sign method (Goodfellow et al., 2015): one step of size ε along sign(∇x L).

Under L2 the step follows the normalised gradient (fast gradient method). Inputs in [0, 1].
"""

from __future__ import annotations

from torch import Tensor, nn

from advfrontier.shared.attacks.losses import LossName
from advfrontier.shared.attacks.pgd import pgd
from advfrontier.shared.threat import ThreatModel


def fgsm(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    threat: ThreatModel,
    *,
    loss: LossName = "ce",
    targeted: bool = False,
    train_mode: bool = False,
) -> Tensor:
    """x_adv = Π(x + ε·sign(∇x L(f(x), y))): PGD with one full-ε step from the clean point."""
    return pgd(
        model, x, y, threat, steps=1, step_size=threat.eps, rand_init=False,
        loss=loss, targeted=targeted, train_mode=train_mode, keep_best=False,
    )  # fmt: skip
