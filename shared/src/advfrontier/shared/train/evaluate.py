"""The standard robustness evaluation: clean, FGSM, PGD-k and CW-k accuracy (in %), worst case."""

from __future__ import annotations

from functools import partial

from torch import nn

from advfrontier.shared.attacks.evaluate import robust_evaluate
from advfrontier.shared.attacks.fgsm import fgsm
from advfrontier.shared.attacks.pgd import pgd
from advfrontier.shared.data.splits import Split
from advfrontier.shared.threat import ThreatModel


def evaluate_robustness(
    model: nn.Module,
    data: Split,
    threat: ThreatModel,
    pgd_steps: int = 20,
    cw_steps: int = 20,
    step_size: str | None = None,
    restarts: int = 1,
    batch_size: int = 256,
) -> dict[str, float]:
    """Accuracies in percent: ``clean_acc``, ``fgsm_acc``, ``pgd{k}_acc``, ``cw{k}_acc``, ``worst_acc``.

    ``worst_acc`` counts an example as robust only if no attack fooled it. CW-k is PGD-k on the CW
    margin loss with κ = 50 (AT-BSL's CW∞). ``step_size`` defaults to ε/4 (2/255 at ε = 8/255).
    """
    alpha = step_size if step_size is not None else threat.eps / 4
    attacks = {
        "fgsm": partial(fgsm, threat=threat),
        f"pgd{pgd_steps}": partial(pgd, threat=threat, steps=pgd_steps, step_size=alpha, restarts=restarts),
        f"cw{cw_steps}": partial(
            pgd, threat=threat, steps=cw_steps, step_size=alpha, loss="cw", restarts=restarts
        ),
    }
    rep = robust_evaluate(model, data.x, data.y, attacks, threat, batch_size)
    if rep.warnings:
        import warnings

        for w in rep.warnings:
            warnings.warn(w, stacklevel=2)
    out = {"clean_acc": 100 * rep.clean}
    out.update({f"{k}_acc": 100 * v for k, v in rep.per_attack.items()})
    out["worst_acc"] = 100 * rep.worst_case
    return out
