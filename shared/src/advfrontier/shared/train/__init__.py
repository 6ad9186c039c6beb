"""Baseline adversarial trainers shared by the papers: standard, PGD-AT (Madry), TRADES.

:func:`fit` is a plain-torch loop with a progress bar and per-epoch checkpoints: a run killed
mid-way resumes from its last checkpoint and ends with the same weights as an uninterrupted one.
"""

from advfrontier.shared.train.evaluate import evaluate_robustness
from advfrontier.shared.train.objectives import (
    MadryPGD,
    Mart,
    Objective,
    Standard,
    Trades,
    mart_loss,
    trades_kl,
)
from advfrontier.shared.train.trainer import Stateful, TrainConfig, fit

__all__ = [
    "MadryPGD",
    "Mart",
    "Objective",
    "Standard",
    "Stateful",
    "Trades",
    "TrainConfig",
    "evaluate_robustness",
    "fit",
    "mart_loss",
    "trades_kl",
]
