"""MCAT's settings at the three scales: SMOKE (seconds), MINI (long-tailed digits), PAPER_SCALE (CIFAR-LT)."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.config import RunConfig
from advfrontier.shared.threat import ThreatModel, linf

METHODS: tuple[str, ...] = ("pgd_at", "trades", "at_bsl", "mcat_code", "mcat")
"""PGD-AT, TRADES, AT-BSL, MCAT as released (PGD-AT + ETF penalty), MCAT as the paper states it."""


@dataclass(frozen=True)
class McatConfig(RunConfig):
    """Long-tailed adversarial training: baselines and MCAT on one data set at several imbalance ratios."""

    dataset: str = "digits"
    """A name from advfrontier.shared.data.DATASETS."""
    imbalance_ratios: tuple[float, ...] = (10.0, 50.0)
    """Exponential-profile imbalance ratios ρ = n_max / n_min; each gives its own rows (method@irρ)."""
    data_seed: int = 0
    """Seed of the test split and of which examples the long tail keeps (fixed across training seeds)."""
    model: str = "small_cnn"
    """"small_cnn" (shared SmallCNN) or "resnet18" (this package's CIFAR ResNet-18)."""
    feature_dim: int = 64
    """Width of φ(x) for small_cnn (ResNet-18: 512)."""
    methods: tuple[str, ...] = METHODS
    threat_model: ThreatModel = linf("0.1")
    attack_steps: int = 5
    """PGD steps of every training attack (MS-PGD, PGD-AT, TRADES, AT-BSL)."""
    step_size: str = "1/40"
    """Step of training and evaluation attacks (ε/4)."""
    eval_pgd_steps: int = 20
    eval_cw_steps: int = 20
    eval_size: int | None = None
    """Evaluate on the first N test images (None: all)."""
    epochs: int = 30
    """Adversarial-training epochs of every method."""
    batch_size: int = 64
    lr: float = 0.05
    weight_decay: float = 5e-4
    schedule: str = "cosine"
    """"cosine" (appendix Table 8) or "constant" (released code)."""
    sampler: str = "shuffle"
    """"shuffle" or "class_uniform" (appendix Table 8), the same for every method."""
    warm_start_epochs: int = 0
    """Clean-CE epochs before adversarial training, shared by all methods (MCAT fits G_y on them)."""
    trades_beta: float = 6.0
    mcat_lambda: float = 0.1
    """λ_man of the paper's MCAT (appendix: 0.1)."""
    mcat_beta: float = 3e-3
    """β of R_ETF in the paper's MCAT (appendix: 3e-3)."""
    mcat_attack_sign: float = 1.0
    """+1: MS-PGD maximises CE + λd (appendix Thm. 2); −1: CE − λd (released code)."""
    released_lambda: float = 0.2
    """λ_m of the released code's attack (gradient-free, so without effect)."""
    released_beta: float = 1.0
    """β_g of the released code's ETF penalty."""
    z_dim: int = 16
    """Generator latent size dz (paper 128; released code 64)."""
    gen_hidden: tuple[int, ...] = (64, 64)
    """Generator hidden widths (paper 1024, 1024; released code 256, 256)."""
    z_steps: int = 5
    """T_z: latent-optimisation steps per distance evaluation (paper 5)."""
    z_lr: float = 0.1
    gen_epochs: int = 60
    """Epochs of generator fitting before AT (released code: 10 over CIFAR; more here for ~300 images)."""
    gen_lr: float = 3e-3
    """Adam lr of generator fitting (released code: 1e-3)."""
    autoattack: bool = False
    """Also report standard AutoAttack (APGD-CE, APGD-T, FAB-T at 100 iterations, Square 5000 queries)."""
    autoattack_size: int | None = None
    """Run AutoAttack on the first N test images (None: all)."""
    val_size: int = 0
    """Training images held out (balanced) for tuning on real data sets (digits: always its 359)."""
    pool_size: int | None = None
    """Keep the first N training images before the long-tail cut (None: all)."""
    """Training images held out (balanced) for tuning on real data sets (digits: always its 359)."""
    max_steps: int | None = None
    """Stop each training run after this many SGD steps (tests only)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        unknown = set(self.methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown method(s) {sorted(unknown)}; expected some of {METHODS}")
        if self.model not in ("small_cnn", "resnet18"):
            raise ValueError(f"model must be 'small_cnn' or 'resnet18', got {self.model!r}")
        if not self.imbalance_ratios or min(self.imbalance_ratios) < 1:
            raise ValueError(f"imbalance ratios must be >= 1, got {self.imbalance_ratios}")
        if self.schedule not in ("cosine", "constant") or self.sampler not in ("shuffle", "class_uniform"):
            raise ValueError(f"bad schedule/sampler: {self.schedule!r}, {self.sampler!r}")
        if self.mcat_attack_sign not in (1.0, -1.0):
            raise ValueError(f"mcat_attack_sign must be +1 or -1, got {self.mcat_attack_sign}")
        if self.z_steps < 0 or self.epochs < 0 or self.warm_start_epochs < 0:
            raise ValueError("z_steps, epochs and warm_start_epochs must be >= 0")


SMOKE = McatConfig(
    scale="smoke",
    seeds=1,
    epochs=2,
    warm_start_epochs=2,
    gen_epochs=20,
    eval_size=80,
)
MINI = McatConfig(scale="mini", seeds=3, warm_start_epochs=5, sampler="class_uniform", mcat_lambda=1e-3)
"""λ = 10⁻³ from the validation probe ``results/tuning_probe.json`` (ρ 10, seed 0): λ·d / CE in the last
epoch was 24 at λ 0.1, 11 at 0.01, 3.0 at 0.001, which also scored best. TRADES β and β_g still need their
equal budget (``python -m advfrontier.mcat.tuning``) before this mini is run."""
REAL = McatConfig(
    scale="real",
    seeds=3,
    dataset="mnist_packaged",
    imbalance_ratios=(10.0, 100.0),
    threat_model=linf("0.3"),
    attack_steps=10,
    step_size="3/40",
    eval_pgd_steps=20,
    eval_cw_steps=20,
    eval_size=500,
    epochs=5,
    warm_start_epochs=2,
    lr=0.01,
    sampler="class_uniform",
    mcat_lambda=0.01,
    trades_beta=1.0,
    released_beta=1.0,
    val_size=5000,
    pool_size=6000,
    autoattack=True,
    autoattack_size=50,
)
"""MNIST-LT (the packaged full MNIST, exponential profile, ρ 10 and 100) at the classic MNIST threat model
(L∞ ε = 0.3), cut to an hour on 2 CPU cores: PGD-10 training with steps of ε/4 (the mini's step rule;
PGD-40 with step 0.01 costs four times as much), a pool of 6,000 training images (≈ 600 a class) cut to
the long tail, 2 clean + 5 AT epochs, class-uniform sampling for every method, PGD-20/CW-20 with steps
of ε/4 on the first 500 test images, standard AutoAttack on the first 50. Measured on one core: 0.85 s per
PGD-AT step of 64 images (SmallCNN at 28×28), so ≈ 35 CPU-min of training per seed. Not yet inside the
hour: with three seeds side by side the five methods at ρ 10 took 48 min (about half of it evaluation), so
the card costs about 75 min; a cut is pending.
Chosen on the balanced validation split (``results/tuning_lr_real.json``,
``results/tuning_methods_real.json``):
lr 0.01 shared by every method (PGD-AT at lr 0.05 collapsed to a constant predictor on one of three seeds at
each ratio, 0.01 on none), then at that lr, ρ 10, seed 0, three candidates per tuned method: λ = 0.01,
TRADES β = 1, β_g = 1."""
PAPER_SCALE = McatConfig(
    scale="paper",
    seeds=1,
    dataset="cifar100",
    imbalance_ratios=(10.0, 50.0, 100.0),
    model="resnet18",
    feature_dim=512,
    threat_model=linf("8/255"),
    attack_steps=10,
    step_size="2/255",
    epochs=200,
    batch_size=128,
    lr=0.1,
    schedule="cosine",
    sampler="class_uniform",
    z_dim=128,
    gen_hidden=(1024, 1024),
    gen_epochs=10,
    gen_lr=1e-3,
    autoattack=True,
    device="cuda",
)
