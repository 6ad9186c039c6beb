"""Optional AutoAttack (Croce & Hein, 2020) accuracy through torchattacks, which is not a dependency."""

from __future__ import annotations

import torch
from torch import nn

from advfrontier.shared.attacks.checks import check_budget
from advfrontier.shared.attacks.modes import model_mode
from advfrontier.shared.data.splits import Split
from advfrontier.shared.threat import ThreatModel


def autoattack_accuracy(
    model: nn.Module, data: Split, threat: ThreatModel, num_classes: int, batch_size: int = 256
) -> float:
    """Accuracy (%) under standard AutoAttack; raises ImportError naming torchattacks when it is absent."""
    try:
        import torchattacks
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "AutoAttack needs the optional package torchattacks (pip install torchattacks); "
            "or set autoattack=False in the config"
        ) from err
    device = next(model.parameters()).device
    correct = 0
    with model_mode(model, train=False):
        attack = torchattacks.AutoAttack(
            model, norm=threat.norm, eps=threat.eps, version="standard", n_classes=num_classes, seed=0
        )
        for i in range(0, len(data), batch_size):
            x, y = data.x[i : i + batch_size].to(device), data.y[i : i + batch_size].to(device)
            x_adv = attack(x, y)
            check_budget(x_adv, x, threat)
            with torch.no_grad():
                correct += int((model(x_adv).argmax(1) == y).sum())
    return 100.0 * correct / max(len(data), 1)
