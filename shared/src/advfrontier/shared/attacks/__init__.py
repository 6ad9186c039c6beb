"""Attacks on models that take inputs in [0, 1] (normalisation is a layer of the model).

Every attack takes the threat model as a value (:class:`~advfrontier.shared.threat.ThreatModel`),
sets the model's mode explicitly and restores it, and returns an adversarial batch that never
leaves its budget or the valid domain.
"""

from advfrontier.shared.attacks.autoattack import AutoAttackConfig, AutoAttackReport, autoattack, eps_sweep
from advfrontier.shared.attacks.checks import SanityError, check_budget
from advfrontier.shared.attacks.embedding import embedding_pgd
from advfrontier.shared.attacks.evaluate import RobustReport, robust_evaluate
from advfrontier.shared.attacks.fgsm import fgsm
from advfrontier.shared.attacks.gcg import SUFFIX_MARK, GCGResult, ascii_token_ids, gcg, gcg_text
from advfrontier.shared.attacks.losses import ce_loss, cw_margin_loss
from advfrontier.shared.attacks.modes import model_mode
from advfrontier.shared.attacks.pgd import pgd, project

__all__ = [
    "SUFFIX_MARK",
    "AutoAttackConfig",
    "AutoAttackReport",
    "GCGResult",
    "RobustReport",
    "SanityError",
    "ascii_token_ids",
    "autoattack",
    "ce_loss",
    "check_budget",
    "cw_margin_loss",
    "embedding_pgd",
    "eps_sweep",
    "fgsm",
    "gcg",
    "gcg_text",
    "model_mode",
    "pgd",
    "project",
    "robust_evaluate",
]
