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
    """"synthetic" (generated treebanks), "ud" (UD treebanks under data_dir) or "bundled" (the
    treebanks committed in the package's ``treebanks/`` folder)."""
    sources: tuple[str, ...] = ()
    """UD treebank folders used as training sources, "<Treebank>" (its train split) or
    "<Treebank>:<split>" (that split as training material)."""
    targets: tuple[str, ...] = ()
    """UD treebank folders evaluated zero-shot on their test split."""
    dev_fraction: float = 0.1
    """Share of each source held out (sampled per seed) for model selection and early stopping;
    synthetic: that many extra generated sentences per source."""
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
    """Scratch encoder: word and char n-gram embedding width."""
    char_dim: int = 32
    """Scratch encoder: width of the character CNN's word vector (0 = no character CNN)."""
    ngram_buckets: int = 4096
    """Scratch encoder: hashed character n-gram buckets."""
    hidden: int = 64
    """Scratch encoder: BiLSTM width per direction."""
    lstm_layers: int = 1
    """Scratch encoder: BiLSTM layers."""
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
    """Most training epochs per model."""
    patience: int = 2
    """Stop after this many epochs without a better LAS on the sources' dev part; the best epoch's
    weights are kept (model selection on source dev data only, never on a target)."""
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
    adv_level: str = "token"
    """Where the variety discriminator and classifier read: "token" (every word's branch vector, as
    the parser reads them) or "sentence" (the mean over a sentence's words). The paper does not say."""
    grl_schedule: bool = True
    """Ramp the reversal strength with 2/(1+exp(−10p))−1 (Ganin et al.) instead of 1."""
    topp_p: float = 0.8
    """TOPPing nucleus mass p."""
    topp_temperature: float = 0.1
    """TOPPing softmax temperature τ over similarities."""
    topp_min_sources: int = 2
    """Fewest sources TOPPing keeps: a nucleus smaller than this is extended by the next most similar
    sources and the run records it (``topping_vacai/extended``); VAÇAÍ-Bowl's variety losses need two
    varieties, and a one-source model raises instead of silently becoming the plain parser."""
    methods: tuple[str, ...] = METHODS
    """Which rows to run."""
    keep_parses: bool = True
    """Keep every parse (CoNLL-U) and a per-target score table in ``<out>/<scale>-parses/`` (next to
    the runner's work folder) or in ``parses_dir``."""
    parses_dir: str | None = None
    """Where kept parses go (default: beside ``work_dir``)."""
    in_domain: str = ""
    """A UD treebank with train/dev/test splits: also train a plain parser on it and report its
    in-domain test LAS (the parser's sanity check against a published number)."""
    in_domain_train: int = 0
    """Cap on the in-domain training sentences (0 = all)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.data not in ("synthetic", "ud", "bundled"):
            raise ValueError(f"data must be 'synthetic', 'ud' or 'bundled', got {self.data!r}")
        if self.adv_level not in ("token", "sentence"):
            raise ValueError(f"adv_level must be 'token' or 'sentence', got {self.adv_level!r}")
        if not 0 < self.dev_fraction < 1 or self.patience < 1 or self.epochs < 1:
            raise ValueError("need 0 < dev_fraction < 1, patience >= 1 and epochs >= 1")
        if self.topp_min_sources < 1:
            raise ValueError("topp_min_sources must be >= 1")
        if self.encoder not in ("scratch", "transformer"):
            raise ValueError(f"encoder must be 'scratch' or 'transformer', got {self.encoder!r}")
        unknown = set(self.methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown method(s) {sorted(unknown)}; expected some of {METHODS}")
        if not 0 < self.topp_p <= 1 or self.topp_temperature <= 0:
            raise ValueError("need 0 < topp_p <= 1 and topp_temperature > 0")
        if min(self.lam_adv, self.lam_spec, self.lam_orth) < 0:
            raise ValueError("loss weights must be >= 0")
        if self.data != "synthetic" and (not self.sources or not self.targets):
            raise ValueError(f"data={self.data!r} needs sources and targets (UD treebank folder names)")


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
    char_dim=16,
    epochs=2,
    batch_size=16,
    keep_parses=False,
)
MINI = VacaiConfig(scale="mini", seeds=5, epochs=8)
REAL = VacaiConfig(
    scale="real",
    seeds=3,
    data="bundled",
    # a Germanic pool; treebanks that publish no train split lend a dev or test split as training
    # material (they are never targets); see treebanks/README.md for what each file is
    sources=(
        "UD_German-GSD:dev",
        "UD_German-PUD:test",
        "UD_Dutch-LassySmall:dev",
        "UD_Afrikaans-AfriBooms",
    ),
    targets=("UD_Swiss_German-UZH", "UD_Low_Saxon-LSDC"),
    train_per_source=600,
    test_per_target=0,
    unlabeled_per_target=200,
    emb_dim=100,
    char_dim=50,
    hidden=128,
    lstm_layers=2,
    ngram_buckets=16384,
    branch_dim=128,
    arc_dim=256,
    rel_dim=64,
    dropout=0.33,
    epochs=10,
    patience=3,
    batch_size=32,
    in_domain="UD_Afrikaans-AfriBooms",
    methods=("single_source", "all_source", "vacai_bowl", "topping_vacai"),
)
"""Real treebanks committed with the package; 3 seeds took 62 min wall on 2 idle CPU cores (two seeds at a
time, then the third alone; ~32 min of one core per seed)."""
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
