"""Configs of the three scales: a synthetic speaker corpus (smoke, mini), Bridge2AI-Voice features (paper)."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.config import RunConfig

METHODS: tuple[str, ...] = ("mpib", "mpib_code_only", "fp32", "grl", "beta_vae")
"""mpib: FP16 trait / INT4 state (weights and code); mpib_code_only: INT4 state code, FP16 weights; fp32: both
heads full precision; grl: fp32 + gradient-reversal speaker adversary on the state code; beta_vae: Gaussian
codes with a β-weighted KL term."""
DATASETS: tuple[str, ...] = ("synthetic", "japanese_vowels", "bridge2ai")


@dataclass(frozen=True)
class MpibConfig(RunConfig):
    """MP-IB and its baselines on one corpus, one speaker-grouped fold per seed."""

    dataset: str = "synthetic"
    """synthetic (generated in memory), japanese_vowels (real speakers, planted state; data_vowels.py) or
    bridge2ai (read from data_dir; see data_real.py)."""
    state_strength: float = 0.5
    """japanese_vowels: strength a of the planted state's change of the frames."""
    n_speakers: int = 60
    """Synthetic: number of speakers."""
    sessions: int = 4
    """Synthetic: sessions per speaker (one agitation level per session)."""
    clips_per_session: int = 8
    """Synthetic: clips per session."""
    frames: int = 50
    """Frames per clip (synthetic: generated; real: centre-cropped or edge-padded to this)."""
    n_features: int = 40
    """Synthetic: features per frame."""
    trait_latent: int = 16
    """Synthetic: dimension of the per-speaker trait vector."""
    speaker_bias: float = 0.7
    """Synthetic: weight of a per-speaker offset in the agitation logit (a confound tied to identity)."""
    noise: float = 0.3
    """Synthetic: std of the additive frame noise."""
    data_seed: int = 0
    """Seed of the synthetic corpus and of the speaker-to-fold assignment (fixed across run seeds)."""
    folds: int = 5
    """Speaker-grouped folds; seed k tests on fold k mod folds, validates on fold k+1, trains on the rest."""
    hidden: int = 48
    """Channels of the 1-D conv encoder."""
    pool_windows: tuple[int, ...] = (1, 5)
    """Multi-scale temporal fusion: mean/std pooling after average pooling over these window lengths."""
    trait_dim: int = 64
    """Trait head width (FP16 in MP-IB)."""
    state_dim: int = 32
    """State head width (INT4 in MP-IB)."""
    state_bits: int = 4
    """Final bit width of the state head (codes and weights) in MP-IB."""
    start_bits: int = 8
    """Dynamic precision scheduling: the state head starts at this width and anneals to state_bits."""
    quantiser: str = "maxabs"
    """State-code quantiser (heads.QUANTISERS: maxabs, percentile, lsq); chosen on validation speakers."""
    anneal_frac: float = 0.5
    """Fraction of the epochs over which the width anneals linearly (0: INT4 from the start)."""
    epochs: int = 30
    batch_size: int = 64
    lr: float = 3e-3
    weight_decay: float = 1e-4
    lambda_trait: float = 1.0
    """Weight of the speaker cross-entropy on the trait code."""
    lambda_rec: float = 1.0
    """Weight of the reconstruction of the clip's feature statistics from both codes."""
    lambda_adv: float = 0.01
    """grl: final reversal strength λ_max of the speaker adversary on the state code (tuned on validation)."""
    adv_gamma: float = 10.0
    """grl: Ganin & Lempitsky's schedule λ(p) = λ_max·(2/(1 + exp(−γ·p)) − 1), p = training progress."""
    beta: float = 0.01
    """beta_vae: weight of the KL term (tuned on validation)."""
    methods: tuple[str, ...] = METHODS
    latency_reps: int = 20
    """Forward passes of one clip timed for the CPU latency (median)."""
    eval_split: str = "test"
    """Held-out speakers evaluated: test (reported) or val (development only)."""
    max_steps: int | None = None
    """Stop each training after this many optimiser steps (tests only)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        unknown = set(self.methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown method(s) {sorted(unknown)}; expected some of {METHODS}")
        if self.dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {DATASETS}, got {self.dataset!r}")
        if self.eval_split not in ("test", "val"):
            raise ValueError(f"eval_split must be 'test' or 'val', got {self.eval_split!r}")
        if self.folds < 3:
            raise ValueError(f"folds must be >= 3 (train, val and test speakers), got {self.folds}")
        if self.sessions < 2:
            raise ValueError("sessions must be >= 2 (the probe trains and tests on different sessions)")
        if not 2 <= self.state_bits <= self.start_bits <= 16:
            raise ValueError(
                f"need 2 <= state_bits <= start_bits <= 16, got {self.state_bits}, {self.start_bits}"
            )
        from advfrontier.mpib.heads import QUANTISERS

        if self.quantiser not in QUANTISERS:
            raise ValueError(f"quantiser must be one of {QUANTISERS}, got {self.quantiser!r}")
        if not 0.0 <= self.anneal_frac <= 1.0:
            raise ValueError(f"anneal_frac must be in [0, 1], got {self.anneal_frac}")


SMOKE = MpibConfig(
    scale="smoke", seeds=1, n_speakers=20, clips_per_session=4, frames=32, hidden=24, epochs=6, latency_reps=3
)
MINI = MpibConfig(scale="mini", seeds=5)
REAL = MpibConfig(
    scale="real",
    seeds=3,
    dataset="japanese_vowels",
    folds=3,
    sessions=4,
    frames=29,
    epochs=40,
    batch_size=32,
)
"""Real speakers (9, UCI Japanese Vowels via sktime's files), planted state; 3 folds of 3 test speakers.
λ_adv, β and the quantiser are the mini's validation choices (not re-tuned on this data)."""
PAPER_SCALE = MpibConfig(
    scale="paper",
    seeds=5,
    dataset="bridge2ai",
    device="cuda",
    hidden=256,
    frames=300,
    pool_windows=(1, 5, 25),
    epochs=100,
    batch_size=128,
    lr=1e-3,
)
