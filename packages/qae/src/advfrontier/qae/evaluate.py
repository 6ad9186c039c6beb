"""Accuracy without defence, with the CAE, with the QAE and with QAE++ (QAE + confidence rule).

Attacks (shared FGSM / PGD, L∞ on [0, 1] pixels) are crafted on the undefended classifier and handed to
each purifier (the paper's setting [inferred]); ``adaptive_pgd`` also differentiates through the purifier
(white-box on the whole pipeline, detector-unaware), as an honesty check. For QAE++ an adversarial input
counts as defended when it is classified correctly or rejected; a clean input only when it is classified
correctly and accepted.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn

from advfrontier.qae.confidence import ConfidenceRule, fit_rule, logit_margin
from advfrontier.qae.defended import QAEDefended
from advfrontier.shared.attacks import check_budget, fgsm, pgd
from advfrontier.shared.determinism import generator
from advfrontier.shared.threat import ThreatModel


def batched(fn: Callable[[Tensor], Tensor], x: Tensor, batch_size: int) -> Tensor:
    """``fn`` over ``x`` in chunks, concatenated."""
    return torch.cat([fn(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])


@torch.no_grad()
def predict(model: nn.Module, x: Tensor, batch_size: int = 256) -> Tensor:
    return batched(lambda xb: model(xb).argmax(1), x, batch_size)


def accuracy(model: nn.Module, x: Tensor, y: Tensor) -> float:
    """Accuracy in percent."""
    return 100.0 * float((predict(model, x) == y).float().mean())


@torch.no_grad()
def qae_signals(qdef: QAEDefended, x: Tensor, batch_size: int = 256) -> tuple[Tensor, Tensor, Tensor]:
    """(prediction, trash fidelity F, logit difference Δ) of the QAE-purified classifier."""
    preds, fids, margins = [], [], []
    for i in range(0, len(x), batch_size):
        logits, fid = qdef.purify_and_classify(x[i : i + batch_size])
        preds.append(logits.argmax(1))
        fids.append(fid)
        margins.append(logit_margin(logits))
    return torch.cat(preds), torch.cat(fids).cpu(), torch.cat(margins).cpu()


def calibrate(qdef: QAEDefended, x_val: Tensor, reject_rate: float) -> ConfidenceRule:
    """QAE++ thresholds from clean validation inputs only."""
    _, fid, margin = qae_signals(qdef, x_val)
    return fit_rule(fid, margin, reject_rate)


def qae_pp_outcome(
    qdef: QAEDefended, rule: ConfidenceRule, x: Tensor, y: Tensor
) -> tuple[Tensor, Tensor, Tensor]:
    """(correct, rejected, score) per example for QAE++."""
    pred, fid, margin = qae_signals(qdef, x)
    return (pred == y).cpu(), rule.reject(fid, margin), rule.score(fid, margin)


def craft(
    model: nn.Module, x: Tensor, y: Tensor, threat: ThreatModel, steps: int, step_size: str, seed: int,
    *, last_iterate: bool, batch_size: int = 256,
) -> dict[str, Tensor]:  # fmt: skip
    """FGSM and PGD-k examples on ``model``; ``last_iterate`` keeps PGD's final (highest-loss) point."""
    g = generator(seed)
    fg, pg = [], []
    for i in range(0, len(x), batch_size):
        xb, yb = x[i : i + batch_size], y[i : i + batch_size]
        fg.append(fgsm(model, xb, yb, threat))
        pg.append(pgd(model, xb, yb, threat, steps, step_size, keep_best=not last_iterate, generator=g))
    result = {"fgsm": torch.cat(fg), "pgd": torch.cat(pg)}
    for x_adv in result.values():
        check_budget(x_adv, x, threat)
    return result
