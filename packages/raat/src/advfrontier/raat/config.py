"""Configs of the three scales: SMOKE (seconds), MINI (digits, minutes), PAPER_SCALE (CIFAR-10, GPU)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from advfrontier.raat.models import MODELS
from advfrontier.shared.config import RunConfig
from advfrontier.shared.data.catalog import DATASETS
from advfrontier.shared.threat import ThreatModel, linf
from advfrontier.shared.train import TrainConfig

BASELINES: tuple[str, ...] = ("standard", "pgd_at", "trades", "mart")
RAAT_METHODS: tuple[str, ...] = ("raat", "raat_pp")
SWEEP = re.compile(r"^raat_r(\d+(?:\.\d+)?)$")
"""A sweep method "raat_r0.5" is RAAT with boundary intensity r = 0.5."""
METHODS: tuple[str, ...] = (*BASELINES, *RAAT_METHODS, "raat_r0.1", "raat_r1.0")
"""The mini's rows: raat/raat_pp at the tuned r = 0.5 and the other points of the paper's r grid."""


def sweep_r(method: str) -> float | None:
    """The r of a sweep method name ("raat_r0.5" -> 0.5), else None."""
    match = SWEEP.match(method)
    return None if match is None else float(match.group(1))


@dataclass(frozen=True)
class RaatConfig(RunConfig):
    """RAAT, RAAT++ and their baselines on one image data set."""

    dataset: str = "digits"
    """A name from advfrontier.shared.data.DATASETS (digits, cifar10, cifar100, tiny_imagenet)."""
    model: str = "small_cnn"
    """A name from advfrontier.raat.models.MODELS (the shared ones, resnet18, wrn34_10)."""
    threat_model: ThreatModel = linf("0.15")
    """Training and evaluation threat model (digits: 0.15, the smallest of 0.1/0.15/0.2 where PGD-AT
    costs ≥ 2 points of validation clean accuracy against standard training)."""
    attack_steps: int = 10
    """PGD steps of every training attack."""
    step_size: str = "3/80"
    """Step of the training attacks (ε/4), and of the evaluation's unless ``eval_step_size`` is set."""
    r: float = 0.1
    """Perturbation intensity of boundary samples for "raat" and "raat_pp" (sweep methods set their own)."""
    dicar_weight: float = 1.0
    """lam, the weight of DICAR."""
    temperature: float = 0.5
    """T of DICAR's JS_T."""
    mix_alpha: float = 0.75
    """λ ~ Beta(α, α) of DICAR's view interpolation."""
    trades_beta: float = 6.0
    """β of TRADES."""
    mart_beta: float = 6.0
    """β of MART and RAAT++."""
    crop_pad: int = 1
    """Zero padding of the random crop (digits: a shift of at most one pixel)."""
    flip: bool = False
    """Random horizontal flips (CIFAR: yes; digits: no)."""
    methods: tuple[str, ...] = METHODS
    """Rows of the table, trained in this order with identical budgets."""
    train: TrainConfig = field(default_factory=lambda: TrainConfig(epochs=10, batch_size=64, lr=0.05))
    """Optimisation settings shared by every method."""
    eval_pgd_steps: int = 20
    """PGD steps of the evaluation."""
    eval_cw_steps: int = 20
    """CW-margin PGD steps of the evaluation."""
    eval_step_size: str | None = None
    """Step of the PGD-k/CW-k evaluation (None: ``step_size``). Real: ε/4, since 20 steps of the training
    step 0.01 travel only 0.2 of the 0.3 ball and leave PGD-20 far above AutoAttack."""
    eval_size: int | None = None
    """Evaluate on the first N test images (None: all)."""
    train_size: int | None = None
    """Train on the first N training images (None: all; smoke only)."""
    val_size: int = 1000
    """Training images held out by the real-data readers (0: train on all, as the paper)."""
    warm_start_epochs: int = 0
    """Clean (standard-training) epochs before the adversarial ones, the same start for every method of
    a seed (real: 1, chosen on validation; from random weights PGD-AT at ε = 0.3 can stay constant)."""
    autoattack: bool = False
    """Also report standard AutoAttack (APGD-CE, APGD-T, FAB-T at 100 iterations, Square 5000 queries)."""
    autoattack_size: int | None = None
    """Run AutoAttack on the first N evaluation images (None: all)."""

    @property
    def eval_step(self) -> str:
        """The step of the evaluation's PGD-k and CW-k attacks."""
        return self.step_size if self.eval_step_size is None else self.eval_step_size

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.dataset not in DATASETS:
            raise ValueError(f"unknown data set {self.dataset!r}; expected one of {sorted(DATASETS)}")
        if self.model not in MODELS:
            raise ValueError(f"unknown model {self.model!r}; expected one of {MODELS}")
        unknown = [m for m in self.methods if m not in BASELINES + RAAT_METHODS and sweep_r(m) is None]
        if unknown:
            raise ValueError(f"unknown method(s) {unknown}; expected {BASELINES + RAAT_METHODS} or raat_r<r>")
        rs = [self.r] + [r for m in self.methods if (r := sweep_r(m)) is not None]
        if any(not 0.0 <= r <= 1.0 for r in rs):
            raise ValueError(f"boundary intensities must lie in [0, 1], got {rs}")
        if self.attack_steps < 1 or self.eval_pgd_steps < 1 or self.eval_cw_steps < 1:
            raise ValueError("attack step counts must be >= 1")
        if self.eval_step_size is not None:
            try:
                ok = ThreatModel.fraction(self.eval_step_size) > 0
            except (ValueError, ZeroDivisionError):
                ok = False
            if not ok:
                raise ValueError(f"eval_step_size must be positive ('3/40'), got {self.eval_step_size!r}")
        if self.temperature <= 0 or self.mix_alpha <= 0 or self.dicar_weight < 0:
            raise ValueError("need temperature > 0, mix_alpha > 0 and dicar_weight >= 0")
        if self.crop_pad < 0 or self.val_size < 0 or self.warm_start_epochs < 0:
            raise ValueError("crop_pad, val_size and warm_start_epochs must be >= 0")
        if (self.train_size is not None and self.train_size < 1) or (
            self.eval_size is not None and self.eval_size < 1
        ):
            raise ValueError("train_size and eval_size must be >= 1 (or None)")


SMOKE = RaatConfig(
    scale="smoke",
    seeds=1,
    r=0.5,
    train=TrainConfig(epochs=3, batch_size=32, lr=0.05),
    attack_steps=3,
    train_size=300,
    eval_size=100,
)
MINI = RaatConfig(scale="mini", seeds=3, r=0.5)
"""Digits at ε = 0.15, 10 epochs. r = 0.5 and TRADES/MART β = 6 chosen on validation (``tuning.py``,
``results/tuning.json``): at r = 0.1 Bd was 2.0 % of the last epoch's examples, at r = 0.5 15.6 %."""
REAL = RaatConfig(
    scale="real",
    seeds=3,
    dataset="mnist_packaged",
    model="small_cnn_pooled",
    threat_model=linf("0.3"),
    attack_steps=40,
    step_size="0.01",
    eval_pgd_steps=20,
    eval_cw_steps=20,
    eval_step_size="3/40",
    r=0.5,
    trades_beta=1.0,
    mart_beta=1.0,
    crop_pad=2,
    flip=False,
    methods=("pgd_at", "trades", "mart", "raat", "raat_pp"),
    train=TrainConfig(epochs=3, batch_size=50, lr=1e-3, optimizer="adam", weight_decay=0.0),
    warm_start_epochs=1,
    train_size=6000,
    eval_size=1000,
    val_size=5000,
    autoattack=True,
    autoattack_size=100,
)
"""MNIST (the packaged full MNIST) at the classic threat model (L∞ ε = 0.3, PGD-40 training with step 0.01,
as the shared baselines' real scale), cut toward an hour on 2 CPU cores: 6,000 training images, one clean
epoch (the same start for every method of a seed) then 3 adversarial epochs, shifts of ≤ 2 pixels,
PGD-20/CW-20 with step ε/4 on the first 1,000 test images (the training step 0.01 left the first card's
PGD-20 27 points above AutoAttack for PGD-AT), standard AutoAttack on the first 100. Chosen on validation
(``python -m advfrontier.raat.tuning --real``, seed 0, first 1,000 of the 5,000 held-out images, score
(clean + PGD-20)/2): the warm start W = 1 over W = 0 (``results/tuning_real.json``: from random weights
PGD-AT stayed a constant predictor, 10.6 % on validation; an earlier 3-seed test run collapsed the same
way on every seed); then, with ``--stage methods`` (``results/tuning_real_methods.json``, PGD-20 at step
ε/4), two candidates for each tuned method: RAAT's r = 0.5 over 0.1 (Bd 16.9 % vs 2.0 % of the last
epoch's examples; score 63.4 vs 52.6), TRADES's β = 1 over 6 (65.9 vs 52.3) and MART's β = 1 over 6 (45.9
vs 31.1; RAAT++ takes MART's β). The r sweep is not in the card (one more RAAT run per seed does not fit
the hour); its only evidence here is the two validation candidates."""
PAPER_SCALE = RaatConfig(
    scale="paper",
    seeds=1,
    dataset="cifar10",
    model="preact_resnet18",
    threat_model=linf("8/255"),
    step_size="2/255",
    crop_pad=4,
    flip=True,
    methods=(*BASELINES, *RAAT_METHODS),
    train=TrainConfig(epochs=110, batch_size=128, lr=0.1, milestones=(100, 105), weight_decay=5e-4),
    val_size=0,
    autoattack=True,
    device="cuda",
)
"""The released code's RAAT/RAAT++ settings on CIFAR-10 (110 epochs, lr ×0.1 at 100 and 105)."""
PAPER_SCALE_CIFAR100 = RaatConfig(**{**PAPER_SCALE.__dict__, "dataset": "cifar100"})
"""As PAPER_SCALE on CIFAR-100 (use with ``run`` directly; the CLI runs PAPER_SCALE)."""
PAPER_SCALE_TINY_IMAGENET = RaatConfig(**{**PAPER_SCALE.__dict__, "dataset": "tiny_imagenet"})
"""As PAPER_SCALE on Tiny-ImageNet (64×64, 200 classes; RandomCrop 64 with padding 4)."""
PAPER_SCALE_RESNET18 = RaatConfig(**{**PAPER_SCALE.__dict__, "model": "resnet18"})
"""As PAPER_SCALE with ResNet-18 (use with ``run`` directly; the CLI runs PAPER_SCALE)."""
PAPER_SCALE_WRN34_10 = RaatConfig(**{**PAPER_SCALE.__dict__, "model": "wrn34_10"})
"""As PAPER_SCALE with WideResNet-34-10."""
