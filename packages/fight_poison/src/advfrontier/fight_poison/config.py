"""Configs of the three scales: SMOKE, MINI (synthetic MGT from pydoc prose) and PAPER_SCALE (Table 2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from advfrontier.fight_poison.rewriter import RewriteConfig
from advfrontier.shared.config import RunConfig

METHODS: tuple[str, ...] = ("ce", "react_no_pbc", "react_no_rag", "react", "fast_detectgpt")
ENCODERS: tuple[str, ...] = ("minilm", "hash", "hf")
DATASETS: tuple[str, ...] = ("mini", "real", "detectrl", "outfox", "raid", "semeval")


@dataclass(frozen=True)
class GeneratorSpec:
    """One miniature text generator: an n-gram LM with planted stylistic markers."""

    order: int
    """n-gram order (2 or 3)."""
    temperature: float
    """Sampling temperature."""
    markers: tuple[str, ...] = ()
    """The generator's tic words, emitted at random steps."""
    marker_rate: float = 0.0
    """Probability that a step emits a marker word."""


MARKERS_A = ("moreover", "additionally", "furthermore", "notably", "overall", "crucially", "essentially")
MARKERS_B = ("indeed", "importantly", "consequently", "remarkably", "specifically", "ultimately")


@dataclass(frozen=True)
class FightPoisonConfig(RunConfig):
    """REACT vs few-shot baselines, on the miniature or on a paper data set."""

    dataset: str = "mini"
    """"mini" (pydoc prose + n-gram generators), "real" (pydoc + KJV prose, SmolLM2 continuations) or a
    paper data set: detectrl, outfox, raid, semeval."""
    ood_dataset: str = "hc3"
    """Paper scale: the out-of-distribution test set (Table 4: train OUTFOX, test HC3)."""
    encoder: str = "minilm"
    """Detector body: minilm (frozen, cached, + MLP head), hash (hashed n-grams + MLP), hf (fine-tuned)."""
    target_model: str = "roberta-base"
    """Paper scale: D_tar, a local directory (under data_dir if relative)."""
    surrogate_model: str = "albert-base-v2"
    """Paper scale: D_sur, a local directory (under data_dir if relative)."""
    generator_model: str = "Llama-3.2-3B-Instruct"
    """Paper scale: the rewriter G, a local directory (under data_dir if relative)."""
    max_length: int = 64
    """Tokens per text given to the encoder (paper: 512)."""
    passage_len: int = 40
    """Mini: words per passage."""
    prompt_len: int = 6
    """Mini: words of a human passage that prompt each machine passage."""
    train_generators: tuple[GeneratorSpec, ...] = (
        GeneratorSpec(2, 1.0, MARKERS_A, 0.08),
        GeneratorSpec(3, 0.8, MARKERS_A, 0.08),
    )
    """Mini: generators of the in-distribution MGT."""
    ood_generators: tuple[GeneratorSpec, ...] = (GeneratorSpec(3, 0.6, MARKERS_B, 0.08),)
    """Mini: held-out generators of the out-of-distribution MGT (on held-out topics)."""
    ood_topic_every: int = 4
    """Mini: every n-th pydoc topic (sorted) is a held-out domain."""
    shots: int = 64
    """Few-shot training texts per class."""
    n_val: int = 30
    """Validation texts per class (the matched-FPR threshold on its human half, the zero-shot baseline's
    threshold; mini: choice of G's strength)."""
    n_test: int = 130
    """In-distribution test texts per class (paper: 1,000)."""
    n_ood: int = 80
    """Out-of-distribution test texts per class."""
    n_pool: int = 40
    """Mini: texts per class that only the test-time humanize attack sees."""
    hidden: int = 128
    """Width of the detector head's hidden layer (its "[CLS]" vector for L_PBC)."""
    hash_dim: int = 4096
    """Buckets of the hashed n-gram features (surrogate; hash encoder)."""
    clean_epochs: int = 3
    """Epochs of clean CE before adversarial training (paper: 3)."""
    adv_epochs: int = 3
    """Adversarial epochs of Algorithm 1 (paper: 3); CE gets as many more clean epochs."""
    batch_size: int = 2
    """Examples per step of Algorithm 1 (paper: 2)."""
    lr_tar: float = 2e-5
    """η_tar (paper: 2e-5)."""
    lr_sur: float = 2e-5
    """η_sur (paper: 2e-5)."""
    weight_decay: float = 0.03
    """AdamW weight decay (paper: 0.03)."""
    alpha: float = 0.5
    """Weight α of the rewrite term in L_ACL (paper: 0.5)."""
    lambda_pbc: float = 1.2
    """λ_pbc (paper: 1.2)."""
    delta_same: float = 0.1
    """δ_same of L_PBC (paper: 0.1)."""
    delta_diff: float = 0.3
    """δ_diff of L_PBC (paper: 0.3)."""
    rewrite: RewriteConfig = field(default_factory=RewriteConfig)
    """Mini: the stand-in rewriter G (its resample_prob is replaced by the selected strength)."""
    rewrite_strengths: tuple[float, ...] = (0.4, 0.7)
    """Mini: G's candidate regeneration rates; per seed the attacker keeps the one whose rewrites of the
    validation MGT evade the clean-phase D_sur most (ties → the larger); empty: use rewrite as is."""
    max_new_tokens: int = 512
    """Paper scale: G's generation length (paper: 512)."""
    gen_temperature: float = 0.7
    """Paper scale: G's temperature (paper: 0.7)."""
    top_p: float = 0.9
    """Paper scale: G's nucleus (paper: 0.9)."""
    n_train_pool: int = 96
    """Real scale: texts per class the shots are drawn from (each machine text is an LLM generation)."""
    gen_max_new_tokens: int = 80
    """Real scale: SmolLM2's new tokens per continuation or paraphrase."""
    gen_seed: int = 0
    """Real scale: torch seed of the first generation (prompt i uses gen_seed + i)."""
    max_attack_texts: int | None = None
    """Attack at most this many MGT test texts per attack (None: all)."""
    methods: tuple[str, ...] = METHODS
    """Which methods to run, in table order."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {DATASETS}, got {self.dataset!r}")
        if self.encoder not in ENCODERS:
            raise ValueError(f"encoder must be one of {ENCODERS}, got {self.encoder!r}")
        unknown = set(self.methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown method(s) {sorted(unknown)}; expected some of {METHODS}")
        for name in ("shots", "batch_size", "n_test", "n_ood", "hidden", "max_length"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.prompt_len >= self.passage_len:
            raise ValueError("prompt_len must be shorter than passage_len")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")


SMOKE = FightPoisonConfig(
    scale="smoke",
    seeds=1,
    encoder="hash",
    shots=32,
    n_val=16,
    n_test=40,
    n_ood=30,
    n_pool=20,
    clean_epochs=10,
    adv_epochs=2,
    batch_size=8,
    lr_tar=1e-2,
    lr_sur=0.05,
    max_attack_texts=30,
)
MINI = FightPoisonConfig(
    scale="mini",
    seeds=5,
    n_val=60,
    encoder="minilm",
    clean_epochs=20,
    adv_epochs=3,
    batch_size=4,
    lr_tar=1e-3,
    lr_sur=0.05,
)
REAL = FightPoisonConfig(
    scale="real",
    seeds=3,
    dataset="real",
    encoder="minilm",
    n_val=60,
    n_test=130,
    n_ood=80,
    n_pool=40,
    n_train_pool=96,
    clean_epochs=20,
    adv_epochs=3,
    batch_size=4,
    lr_tar=1e-3,
    lr_sur=0.05,
)
"""Human pydoc prose (in distribution) and KJV (OOD) vs SmolLM2-135M-Instruct continuations of the same
prefixes; 52 CPU-min of generation once (cached; measured: 406 continuations 37 min, 130 paraphrases
15 min), then the seeds."""
PAPER_SCALE = FightPoisonConfig(
    scale="paper",
    seeds=3,
    dataset="detectrl",
    encoder="hf",
    device="cuda",
    max_length=512,
    shots=64,
    n_test=1000,
    n_ood=1000,
    n_val=200,
    clean_epochs=3,
    adv_epochs=3,
    batch_size=2,
    methods=("ce", "react_no_pbc", "react_no_rag", "react"),
)
