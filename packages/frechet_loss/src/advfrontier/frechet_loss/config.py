"""Configs of the three scales: a digits miniature (smoke, mini) and the paper's ImageNet 256 setting."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.config import RunConfig

METHODS: tuple[str, ...] = (
    "real",
    "teacher",
    "one_step",
    "fd_queue",
    "fd_ema",
    "fd_batch",
    "fd_pca_space",
    "moments",
    "mmd",
)
"""real: held-out real images; teacher: the multi-step generator; one_step: its one-step map untuned;
fd_queue / fd_ema / fd_batch: one-step map fine-tuned with the FD-loss on queue / EMA / batch-only
statistics; fd_pca_space: queue statistics but trained in the pixel-PCA space only; moments / mmd: the
same fine-tuning (spaces, batch, steps, lr) with a non-FD loss: mean/variance matching on the queue, or
RBF-kernel MMD against real batches (``baselines.py``)."""
MINI_SPACES: tuple[str, ...] = ("cnn", "rand", "mlp", "pca")
DATASETS: tuple[str, ...] = ("digits", "mnist")
PAPER_SPACES: tuple[str, ...] = ("inception", "dinov2")


@dataclass(frozen=True)
class FrechetConfig(RunConfig):
    """FD-loss fine-tuning of a multi-step generator's one-step map."""

    methods: tuple[str, ...] = METHODS
    """Rows to run (mini/smoke/real); the paper scale runs teacher/one_step/fd_queue."""
    dataset: str = "digits"
    """Miniature data: "digits" (sklearn's 8×8 digits) or "mnist" (the real scale: packaged 28×28 MNIST)."""
    train_size: int | None = None
    """MNIST: training images kept (encoders, flow, reference statistics; None: all 55,000)."""
    val_size: int = 2000
    """MNIST: training images held out as the "real" row."""
    test_size: int | None = None
    """MNIST: test images the FDs and precision/recall compare against (None: all 10,000)."""
    train_spaces: tuple[str, ...] = ("cnn", "rand")
    """Representation spaces of the FD-loss (each weight 1); mini: cnn and rand; paper: inception, dinov2."""
    feature_dims: tuple[tuple[str, int], ...] = (("cnn", 64), ("rand", 64), ("mlp", 32), ("pca", 16))
    """Feature width of each miniature space."""
    encoder_epochs: int = 30
    """Epochs of the miniature classifiers (cnn, mlp) on the train split."""
    flow_hidden: int = 256
    """Width of the velocity MLP."""
    flow_depth: int = 3
    """Hidden layers of the velocity MLP."""
    flow_train_steps: int = 4000
    """Flow-matching steps of the multi-step generator."""
    flow_batch: int = 128
    flow_lr: float = 2e-3
    teacher_steps: int = 20
    """Euler steps of the multi-step sampler (the 'teacher' row; never used as a teacher by FD-loss)."""
    ft_steps: int = 1500
    """FD-loss fine-tuning steps."""
    ft_batch: int = 32
    """Generated images per fine-tuning step (the paper: 1024 for 1024–2048-d features; here 32 for 64-d)."""
    ft_lr: float = 1e-4
    """Peak AdamW learning rate (betas 0.9, 0.95; wd 0) of fine-tuning."""
    ft_warmup: int = 20
    """Linear warm-up steps, then cosine decay."""
    queue: int = 2048
    """Queue rows of the population statistics (the paper: 50k = 49× its batch; here 64× the batch)."""
    ema_beta: float = 0.984
    """β of the EMA statistics; 1 − batch/queue, so its window matches the queue (paper: 0.999)."""
    eval_samples: int = 1000
    """Generated images per method for evaluation."""
    pr_k: int = 3
    """k of the k-NN precision/recall."""
    image_size: int = 8
    """Side of the generated images (digits: 8; paper: 256)."""
    num_classes: int = 10
    """Class labels fed to the paper-scale generator (digits miniature is unconditional)."""
    generator_file: str = "frechet_loss/weights/generator.pt"
    """Paper scale: TorchScript u(z, t, y) → velocity, relative to the data directory."""
    dino_resolution: int = 224
    """Paper scale: side DINOv2 sees (images are resized to it, bicubic)."""
    stats_images: int = 0
    """Paper scale: real images read to compute reference statistics when no stats npz exists (0: all)."""
    log_every: int = 0
    """Print the population FDs every this many fine-tuning steps (0: never)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.scale != "paper":
            unknown = set(self.methods) - set(METHODS)
            if unknown:
                raise ValueError(f"unknown method(s) {sorted(unknown)}; expected some of {METHODS}")
        known = PAPER_SPACES if self.scale == "paper" else ("cnn", "rand", "pca")
        bad = [s for s in self.train_spaces if s not in known]
        if bad or not self.train_spaces:
            raise ValueError(f"train_spaces must be some of {known} (mlp is the held-out judge), got {bad}")
        if self.queue < self.ft_batch:
            raise ValueError(f"queue ({self.queue}) must be >= ft_batch ({self.ft_batch})")
        if not 0.0 < self.ema_beta < 1.0:
            raise ValueError(f"ema_beta must be in (0, 1), got {self.ema_beta}")
        if self.dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {DATASETS}, got {self.dataset!r}")
        if min(self.ft_steps, self.ft_batch, self.eval_samples, self.teacher_steps) < 1:
            raise ValueError("ft_steps, ft_batch, eval_samples and teacher_steps must be >= 1")

    @property
    def dims(self) -> dict[str, int]:
        return dict(self.feature_dims)


CLAIM_METHODS: tuple[str, ...] = ("real", "teacher", "one_step", "fd_queue", "fd_batch", "moments", "mmd")
"""The rows the smoke and mini runs train: those the claims compare (fd_ema and fd_pca_space stay
available through ``methods``)."""
SMOKE = FrechetConfig(
    scale="smoke",
    seeds=1,
    methods=CLAIM_METHODS,
    encoder_epochs=8,
    flow_train_steps=600,
    ft_steps=150,
    queue=512,
    eval_samples=400,
)
MINI = FrechetConfig(scale="mini", seeds=5, methods=CLAIM_METHODS, ft_steps=600)
"""5 seeds × 4 fine-tuned rows; 600 fine-tuning steps (1,500 in the earlier 3-seed card)."""
REAL = FrechetConfig(
    scale="real",
    seeds=3,
    methods=CLAIM_METHODS,
    dataset="mnist",
    image_size=28,
    train_size=20_000,
    val_size=2_000,
    test_size=2_000,
    encoder_epochs=4,
    flow_hidden=512,
    flow_depth=3,
    flow_train_steps=6_000,
    flow_batch=128,
    teacher_steps=20,
    ft_steps=1_500,
    ft_batch=64,
    queue=4_096,
    ema_beta=0.984,  # 1 − batch/queue
    eval_samples=2_000,
)
"""MNIST 28×28: a 784-d MLP flow trained here, repurposed into one step; ≈ 10 CPU-min per seed."""
PAPER_SCALE = FrechetConfig(
    scale="paper",
    seeds=1,
    device="cuda",
    methods=("teacher", "one_step", "fd_queue"),
    train_spaces=PAPER_SPACES,
    teacher_steps=50,
    ft_steps=62_500,  # 50 epochs × 1250 steps of batch 1024 over ImageNet's 1.28M
    ft_batch=1024,
    ft_lr=1e-5,  # JiT in the released scripts (pMF: 1e-6)
    ft_warmup=6_250,  # 5 epochs
    queue=50_000,
    ema_beta=0.999,
    eval_samples=50_000,
    image_size=256,
    num_classes=1000,
    log_every=100,
)
