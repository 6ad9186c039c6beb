"""Configs of the three scales: SMOKE, MINI (synthetic varieties) and PAPER_SCALE (DialectBench UD)."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.config import RunConfig

METHODS: tuple[str, ...] = (
    "single_source",
    "all_source",
    "invariant",
    "vacai_bowl",
    "random_vacai",
    "topping_vacai",
)
"""Rows of the table: closest single source (plain), all sources (plain), all sources with gradient
reversal only, all sources with VAÇAÍ-Bowl, VAÇAÍ-Bowl on random sources of TOPPing's size, and the full
pipeline TOPPing + VAÇAÍ-Bowl."""


@dataclass(frozen=True)
class VacaiConfig(RunConfig):
    """VAÇAÍ-Bowl + TOPPing on held-out varieties."""

    data: str = "synthetic"
    """"synthetic" (the miniature's generated treebanks) or "ud" (UD treebanks from data_dir)."""
    sources: tuple[str, ...] = ()
    """UD treebank folders used as training sources (data="ud" only)."""
    targets: tuple[str, ...] = ()
    """UD treebank folders evaluated zero-shot on their test split (data="ud" only)."""
    train_per_source: int = 300
    """Synthetic training sentences per source variety (UD: cap per source, 0 = all)."""
    test_per_target: int = 150
    """Synthetic test sentences per held-out variety (UD: cap, 0 = all)."""
    unlabeled_per_target: int = 100
    """Unlabelled target sentences TOPPing may read (UD: forms of the target's dev split, else its test)."""
    encoder: str = "scratch"
    """"scratch" (char n-gram + BiLSTM) or "transformer" (from encoder_path)."""
    encoder_path: str = "bert-base-multilingual-cased"
    """Local folder of the transformers encoder, relative to data_dir unless absolute."""
    emb_dim: int = 64
    """Scratch encoder: embedding width."""
    hidden: int = 64
    """Scratch encoder: BiLSTM width per direction."""
    max_length: int = 256
    """Transformer encoder: sub-word truncation length."""
    branch_dim: int = 64
    """Width of each VAÇAÍ-Bowl branch; plain/invariant get one branch of twice this width."""
    arc_dim: int = 128
    """Biaffine arc MLP width."""
    rel_dim: int = 64
    """Biaffine relation MLP width."""
    dropout: float = 0.2
    """Dropout in branches and parser MLPs."""
    epochs: int = 6
    """Training epochs per model."""
    batch_size: int = 32
    """Sentences per batch."""
    lr: float = 2e-3
    """Adam learning rate of branches, heads and parser."""
    encoder_lr: float = 2e-3
    """Adam learning rate of the encoder."""
    max_steps: int | None = None
    """Stop each training after this many steps (tests)."""
    lam_adv: float = 0.5
    """λ_adv: weight of the adversarial variety loss through gradient reversal (Eq. V1)."""
    lam_spec: float = 0.5
    """λ_spec: weight of the specific branch's variety loss (Eq. V2)."""
    lam_orth: float = 0.1
    """λ_orth: weight of the branch difference term (Eq. V3)."""
    grl_schedule: bool = True
    """Ramp the reversal strength with 2/(1+exp(−10p))−1 (Ganin et al.) instead of 1."""
    topp_p: float = 0.8
    """TOPPing nucleus mass p."""
    topp_temperature: float = 0.1
    """TOPPing softmax temperature τ over similarities."""
    methods: tuple[str, ...] = METHODS
    """Which rows to run."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.data not in ("synthetic", "ud"):
            raise ValueError(f"data must be 'synthetic' or 'ud', got {self.data!r}")
        if self.encoder not in ("scratch", "transformer"):
            raise ValueError(f"encoder must be 'scratch' or 'transformer', got {self.encoder!r}")
        unknown = set(self.methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown method(s) {sorted(unknown)}; expected some of {METHODS}")
        if not 0 < self.topp_p <= 1 or self.topp_temperature <= 0:
            raise ValueError("need 0 < topp_p <= 1 and topp_temperature > 0")
        if min(self.lam_adv, self.lam_spec, self.lam_orth) < 0:
            raise ValueError("loss weights must be >= 0")
        if self.data == "ud" and (not self.sources or not self.targets):
            raise ValueError("data='ud' needs sources and targets (UD treebank folder names)")


SMOKE = VacaiConfig(
    scale="smoke",
    seeds=1,
    train_per_source=60,
    test_per_target=30,
    unlabeled_per_target=40,
    emb_dim=32,
    hidden=32,
    branch_dim=32,
    arc_dim=64,
    rel_dim=32,
    epochs=2,
    batch_size=16,
)
MINI = VacaiConfig(scale="mini", seeds=5)
PAPER_SCALE = VacaiConfig(
    scale="paper",
    seeds=3,
    device="cuda",
    data="ud",
    # [inferred] a Germanic cluster of DialectBench's UD task (metadata/udp_metadata.json langgroups
    # German / Dutch / Norwegian / English): the paper's 10 varieties are not public.
    sources=(
        "UD_English-EWT",
        "UD_Dutch-Alpino",
        "UD_Norwegian-Bokmaal",
        "UD_Norwegian-Nynorsk",
        "UD_Turkish_German-SAGT",
    ),
    targets=(
        "UD_Low_Saxon-LSDC",
        "UD_Swiss_German-UZH",
        "UD_Frisian_Dutch-Fame",
        "UD_Norwegian-NynorskLIA",
    ),
    train_per_source=0,
    test_per_target=0,
    unlabeled_per_target=200,
    encoder="transformer",
    encoder_path="bert-base-multilingual-cased",
    max_length=256,  # DialectBench run_udp.py
    branch_dim=256,
    arc_dim=512,
    rel_dim=128,
    dropout=0.33,
    epochs=5,  # DialectBench
    batch_size=12,  # DialectBench
    lr=5e-4,  # DialectBench (adapter + head learning rate); used here for branches and heads
    encoder_lr=2e-5,  # [inferred] full fine-tuning instead of adapters
)
