"""RAAT and RAAT++ as training objectives ``objective(model, x, y) -> loss`` for the shared ``fit`` loop.

One step on a batch (x, y) of size B (released code, ``adv_train_bd.py``):
1. two augmented views, X = [x¹; x²], Y = [y; y] (2B);
2. X_adv by PGD-k in eval mode (RAAT: CE from a uniform start; RAAT++: MART's start x + 0.001·N(0, I));
3. partition (eval mode) into misclassified / boundary / other; boundary samples get x + r·δ;
4. L = L_cls(x̃) + L_DICAR, with L_cls = mean CE (RAAT) or MART's boosted CE on x̃ plus MART's
   weighted KL on X_adv (RAAT++).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from advfrontier.raat.augment import Augment
from advfrontier.raat.dicar import both_views_correct, dicar_loss, mixing_coefficient
from advfrontier.raat.partition import PartitionLog, partition, reconstruct
from advfrontier.shared.attacks.pgd import pgd
from advfrontier.shared.threat import ThreatModel
from advfrontier.shared.train import Mart

BASES: tuple[str, ...] = ("pgd", "mart")


def boosted_ce(logits: Tensor, y: Tensor) -> Tensor:
    """MART's boosted CE per example: −log p_y − log(1.0001 − max_{k≠y} p_k) (MART Eq. 8, BCE term)."""
    p = F.softmax(logits, 1)
    others = p.masked_fill(F.one_hot(y, p.shape[1]).bool(), -1.0).max(1).values
    return F.cross_entropy(logits, y, reduction="none") - torch.log(1.0001 - others)


def weighted_kl(logits_adv: Tensor, logits_clean: Tensor, y: Tensor) -> Tensor:
    """MART's KL(p(x) ‖ p(x_adv))·(1 − p_y(x)) per example (MART, Wang et al., 2020, Eq. 8, KL term)."""
    p_adv = F.softmax(logits_adv, 1)
    p_clean = F.softmax(logits_clean, 1)
    kl = F.kl_div(torch.log(p_adv + 1e-12), p_clean, reduction="none").sum(1)
    return kl * (1.0 - p_clean.gather(1, y[:, None]).squeeze(1))


def raat_pp_cls_loss(
    logits_rec: Tensor, logits_adv: Tensor, logits_clean: Tensor, y: Tensor, beta: float
) -> Tensor:
    """RAAT++ classification term: mean BCE(f(x̃), y) + β·mean KL(p(x)‖p(x_adv))(1 − p_y) (released code)."""
    return boosted_ce(logits_rec, y).mean() + beta * weighted_kl(logits_adv, logits_clean, y).mean()


@dataclass(frozen=True)
class Raat:
    """RAAT (base "pgd") or RAAT++ (base "mart") for inputs in [0, 1] under ``threat``."""

    threat: ThreatModel
    steps: int = 10
    """PGD steps of the training attack."""
    step_size: str | float = "2/255"
    """PGD step (α)."""
    r: float = 0.1
    """Fixed perturbation intensity of boundary samples (x + r·δ)."""
    dicar_weight: float = 1.0
    """lam, the weight of DICAR."""
    temperature: float = 0.5
    """T of JS_T."""
    mix_alpha: float = 0.75
    """λ ~ Beta(α, α) of the view interpolation."""
    base: str = "pgd"
    """"pgd" (RAAT on PGD-AT) or "mart" (RAAT++)."""
    mart_beta: float = 6.0
    """β of MART's KL term (RAAT++ only)."""
    augment: Augment = field(default_factory=Augment)
    """How each of the two views is drawn."""
    attack_train_mode: bool = False
    """Run the training attack with the model in train mode (the released code uses eval mode)."""
    log: PartitionLog | None = field(default=None, compare=False)
    """Where to count the shares of M, Bd and N of every batch (None: not recorded)."""

    def __post_init__(self) -> None:
        if self.base not in BASES:
            raise ValueError(f"base must be one of {BASES}, got {self.base!r}")
        if not 0.0 <= self.r <= 1.0:
            raise ValueError(f"r must lie in [0, 1], got {self.r}")
        if self.temperature <= 0 or self.dicar_weight < 0:
            raise ValueError("need temperature > 0 and dicar_weight >= 0")

    def adversary(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        """PGD-k on the stacked views: CE from a uniform start (RAAT) or from x + 0.001·N(0, I) (RAAT++)."""
        if self.base == "mart":
            mart = Mart(self.threat, self.steps, self.step_size, self.mart_beta, self.attack_train_mode)
            return mart.adversary(model, x, y)
        return pgd(
            model, x, y, self.threat, self.steps, self.step_size,
            train_mode=self.attack_train_mode, keep_best=False,
        )  # fmt: skip

    def loss(self, model: nn.Module, x: Tensor, x_adv: Tensor, y: Tensor, m: float) -> Tensor:
        """The loss on stacked views x = [x¹; x²] (2B), their adversarial examples and labels y (B)."""
        yy = torch.cat([y, y])
        parts = partition(model, x, x_adv, yy, self.r)
        if self.log is not None:
            self.log.add(parts)
        logits_rec = model(reconstruct(x, x_adv, parts.boundary, self.r))
        need_clean = self.dicar_weight > 0 or self.base == "mart"
        logits_clean = model(x) if need_clean else None
        if self.base == "mart":
            assert logits_clean is not None
            cls = raat_pp_cls_loss(logits_rec, model(x_adv), logits_clean, yy, self.mart_beta)
        else:
            cls = F.cross_entropy(logits_rec, yy)
        if logits_clean is None:
            return cls
        keep = both_views_correct(~parts.misclassified)  # eval-mode predictions, as the release
        return cls + dicar_loss(model, x_adv, logits_clean, keep, m, self.temperature, self.dicar_weight)

    def __call__(self, model: nn.Module, x: Tensor, y: Tensor) -> Tensor:
        views = torch.cat([self.augment(x), self.augment(x)])
        x_adv = self.adversary(model, views, torch.cat([y, y]))
        return self.loss(model, views, x_adv, y, mixing_coefficient(self.mix_alpha))
