"""Configs of the three scales: SMOKE (seconds), MINI (bundled digits), PAPER_SCALE (MNIST, F-MNIST)."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.config import RunConfig
from advfrontier.shared.data import DATASETS
from advfrontier.shared.threat import ThreatModel, linf


@dataclass(frozen=True)
class QAEConfig(RunConfig):
    """Quantum classifier, quantum autoencoder purifier (QAE / QAE++) and a classical CAE purifier."""

    datasets: tuple[str, ...] = ("digits",)
    """Data sets from advfrontier.shared.data.DATASETS; several get their name appended to each method."""
    classes: tuple[int, ...] = (0, 1, 2, 3)
    """Original labels kept (relabelled 0..C−1); one qubit is read out per class."""
    image_side: int = 8
    """Images are resized to side×side = 2^n pixels for amplitude encoding on n qubits."""
    holdout: int = 1000
    """Real data sets: training images held out as the validation pool (digits has its own split)."""
    train_size: int | None = None
    """Training images kept (None: all of the selected classes)."""
    val_size: int | None = None
    """Validation images kept (calibration of the QAE++ thresholds)."""
    test_size: int | None = None
    """Test images evaluated (None: all of the selected classes)."""
    clf_layers: int = 4
    """StronglyEntanglingLayers of the classifier V(φ)."""
    clf_epochs: int = 30
    clf_lr: float = 0.05
    clf_batch: int = 32
    qae_trash: int = 1
    """Trash qubits k of the quantum autoencoder (latent = n − k); mini's 1 was chosen on validation data."""
    qae_layers: int = 6
    """StronglyEntanglingLayers of the encoder U(θ): 3·n·layers parameters."""
    qae_epochs: int = 30
    qae_lr: float = 0.05
    qae_batch: int = 32
    cae_channels: int = 32
    """Width c of the classical conv autoencoder (1→c→2c→c→1)."""
    cae_epochs: int = 60
    cae_lr: float = 2e-3
    cae_batch: int = 32
    threat_model: ThreatModel = linf("0.1")
    """L∞ budget on [0, 1] pixels, before the amplitude encoding."""
    pgd_steps: int = 20
    step_size: str = "1/40"
    """PGD step, ε/4 at ε = 0.1."""
    packaged: bool = False
    """Read MNIST from the packaged IDX files (shared ``mnist()``, the `real` scale) instead of data_dir."""
    reject_rate: float = 0.05
    """QAE++: fraction of clean validation inputs its confidence rule may reject."""

    def __post_init__(self) -> None:
        super().__post_init__()
        unknown = [d for d in self.datasets if d not in DATASETS or DATASETS[d][1] < 1]
        if not self.datasets or unknown:
            raise ValueError(
                f"unknown data set(s) {unknown or self.datasets}; expected some of {sorted(DATASETS)}"
            )
        n_pixels = self.image_side**2
        if n_pixels & (n_pixels - 1):
            raise ValueError(f"image_side² must be a power of two for amplitude encoding, got {n_pixels}")
        n_qubits = n_pixels.bit_length() - 1
        if len(set(self.classes)) != len(self.classes) or not 2 <= len(self.classes) <= n_qubits:
            raise ValueError(f"need 2..{n_qubits} distinct classes (one qubit each), got {self.classes}")
        if not 0 < self.qae_trash < n_qubits:
            raise ValueError(f"qae_trash must be in 1..{n_qubits - 1}, got {self.qae_trash}")
        if not 0.0 <= self.reject_rate < 1.0:
            raise ValueError(f"reject_rate must be in [0, 1), got {self.reject_rate}")

    @property
    def n_qubits(self) -> int:
        """Qubits of the amplitude encoding: log2(image_side²)."""
        return (self.image_side**2).bit_length() - 1


SMOKE = QAEConfig(
    scale="smoke",
    train_size=160,
    val_size=80,
    test_size=80,
    clf_epochs=8,
    qae_epochs=6,
    cae_epochs=10,
    pgd_steps=10,
    step_size="1/40",
)
MINI = QAEConfig(scale="mini", seeds=5)
REAL = QAEConfig(
    scale="real",
    seeds=3,
    datasets=("mnist",),
    packaged=True,
    classes=tuple(range(10)),
    image_side=32,
    holdout=5000,
    train_size=2000,
    val_size=500,
    test_size=500,
    clf_layers=4,
    clf_epochs=10,
    clf_batch=64,
    qae_trash=3,
    qae_layers=4,
    qae_epochs=5,
    qae_batch=64,
    cae_epochs=10,
    cae_batch=64,
    threat_model=linf("0.1"),
    pgd_steps=20,
    step_size="1/40",
)
"""MNIST (packaged IDX files), all 10 classes, 28×28 zero-padded to 32×32 = 2¹⁰ amplitudes on 10 qubits
(no downsampling; 10 qubits × 4 layers × 3 angles = the paper's 120 QAE parameters), 2,000 training /
500 validation / 500 test images, L∞ ε = 0.1 (the paper's ε was not readable: chosen), FGSM and PGD-20."""
PAPER_SCALE = QAEConfig(
    scale="paper",
    seeds=3,
    device="cuda",
    datasets=("mnist", "fashion_mnist"),
    classes=tuple(range(10)),
    image_side=32,
    train_size=10_000,
    val_size=1000,
    test_size=1000,
    clf_layers=4,
    clf_epochs=20,
    clf_batch=64,
    qae_trash=3,
    qae_layers=4,
    qae_epochs=20,
    qae_batch=64,
    cae_channels=32,
    cae_epochs=20,
    cae_batch=64,
    threat_model=linf("0.1"),
    pgd_steps=20,
    step_size="1/40",
)
