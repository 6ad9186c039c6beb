"""Configs of the three scales: SMOKE and MINI (synthetic chat task, tiny Llama, CPU) and PAPER_SCALE
(a 7B chat model from a local path, HarmBench behaviours from a local directory, CUDA)."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.config import RunConfig
from advfrontier.warden.dro import AGGREGATORS

METHODS: tuple[str, ...] = ("aligned", "cat", "warden_kl", "warden_chi2")
"""aligned: no adversarial training; cat: uniform average; warden_*: f-divergence DRO aggregation."""


@dataclass(frozen=True)
class LLMConfig:
    """Paper-scale settings (CAT/CAPO's released hyperparameters; WARDEN's own are not public)."""

    model_dir: str = "models/Llama-2-7b-chat-hf"
    """Model folder, relative to the data directory (or absolute), read with local_files_only."""
    harmbench_dir: str = "harmbench"
    """HarmBench data folder, relative to the data directory (or absolute)."""
    utility_file: str = "ultrachat/train.jsonl"
    """Utility chats, JSON lines with a "messages" list (UltraChat-200k format), relative to data dir."""
    lora_r: int = 64
    """LoRA rank (all linear layers of the attention and MLP blocks)."""
    lora_alpha: float = 16.0
    """LoRA scaling numerator α (scale α/r)."""
    lora_dropout: float = 0.1
    """Dropout on the LoRA input."""
    lr: float = 2e-4
    """AdamW learning rate (cosine schedule with 3% warm-up)."""
    max_grad_norm: float = 0.3
    """Gradient clipping."""
    epochs: int = 5
    """Passes over the adversarial behaviours."""
    max_steps: int | None = None
    """Stop after this many optimiser steps (tests use 2)."""
    batch_size: int = 8
    """Examples per micro-batch."""
    grad_accum: int = 8
    """Micro-batches per optimiser step."""
    adv_fraction: float = 0.125
    """Share of adversarial (harmful) examples per step; the rest is utility data."""
    max_length: int = 256
    """Token budget per sequence."""
    attack_steps: int = 10
    """Training attack steps."""
    eval_attack_steps: int = 50
    """Evaluation embedding-attack steps."""
    eval_behaviours: int | None = None
    """Evaluate on the first N test behaviours (None: all)."""
    gen_tokens: int = 64
    """Greedy tokens generated for the judge at evaluation."""
    dtype: str = "bfloat16"
    """Model weights' dtype on the device."""
    quantize: str = "auto"
    """"auto": the base model in 4-bit NF4 (as the released code) when CUDA and bitsandbytes are
    available, else in ``dtype``; "none": always ``dtype``. The card records which (``<method>/nf4``)."""
    judge_dir: str = "models/HarmBench-Llama-2-13b-cls"
    """HarmBench's classifier folder (weights and its two prompts, see ``judge.py``), relative to the data
    directory; absent: the keyword judge, recorded as ``<method>/judge_classifier`` = 0."""
    gcg_behaviours: int = 20
    """GCG ASR on the first N test behaviours (0: no GCG); HarmBench's GCG settings below."""
    gcg_steps: int = 500
    """GCG steps per behaviour (early stop once the judge rules the greedy answer a success)."""
    gcg_suffix: int = 20
    """Suffix tokens (initialised to "!")."""
    gcg_topk: int = 256
    """Tokens kept per suffix position from the gradient."""
    gcg_candidates: int = 512
    """Candidate suffixes evaluated per step."""
    benchmark_items: int | None = None
    """Score the first N items of each utility benchmark (MMLU, ARC-Challenge) found in the data
    directory (None: all)."""
    autodan_behaviours: int = 20
    """AutoDAN-GA ASR on the first N test behaviours (0: no AutoDAN); needs ``autodan_file``."""
    autodan_file: str = "autodan/prompt_group.pth"
    """AutoDAN's reference prompts (the authors' ``assets/prompt_group.pth``, or a JSON list of strings),
    relative to the data directory: the initial population."""
    autodan_steps: int = 100
    """Generations per behaviour (AutoDAN's 100; early stop once the judge rules the answer harmful)."""
    autodan_population: int = 64
    """Prompts per generation (the AutoDAN paper uses 256)."""
    autodan_elite_frac: float = 0.05
    """Share of each generation kept unchanged (the paper's α)."""
    autodan_check_every: int = 5
    """Generations between two judge checks of the fittest prompt."""
    jailbreak_max_prompt: int = 1024
    """Token budget of an AutoDAN or human-jailbreak user turn (templates are a few hundred tokens)."""
    autodan_mutator_dir: str = "models/Mistral-7B-Instruct-v0.2"
    """The instruct model that paraphrases templates (mutation rate 0.01), relative to the data
    directory; absent: no mutation, recorded as ``<method>/autodan_mutation`` = 0."""
    autodan_model_name: str = "Llama-2"
    """Fills the templates' [MODEL] ("ChatGPT") placeholder."""
    autodan_developer: str = "Meta"
    """Fills the templates' [KEEPER] ("ModelKeeper") placeholder."""
    human_behaviours: int = 20
    """Human-jailbreak ASR on the first N test behaviours (0: none); needs ``human_file``."""
    human_templates: int | None = None
    """Use the first N templates (None: all, as HarmBench)."""
    human_file: str = "human_jailbreaks/jailbreaks.py"
    """HarmBench's ``baselines/human_jailbreaks/jailbreaks.py`` (or a JSON list of templates), relative to
    the data directory."""

    def __post_init__(self) -> None:
        if self.quantize not in ("auto", "none"):
            raise ValueError(f"quantize must be 'auto' or 'none', got {self.quantize!r}")
        if self.autodan_behaviours and (self.autodan_population < 2 or self.autodan_steps < 1):
            raise ValueError("AutoDAN needs autodan_population ≥ 2 and autodan_steps ≥ 1")
        if not 0.0 <= self.autodan_elite_frac < 1.0:
            raise ValueError(f"autodan_elite_frac must be in [0, 1), got {self.autodan_elite_frac}")


@dataclass(frozen=True)
class WardenConfig(RunConfig):
    """CAT vs WARDEN (CAT with DRO aggregation) on one model and task."""

    methods: tuple[str, ...] = METHODS
    """Rows of the table, in order."""
    # model (miniature)
    hidden: int = 64
    """Hidden size of the tiny Llama."""
    layers: int = 2
    """Transformer blocks."""
    heads: int = 4
    """Attention heads."""
    intermediate: int = 128
    """SwiGLU width."""
    # task
    n_words: int = 5
    """Words per prompt (triggers planted among them)."""
    group_probs: tuple[float, float, float] = (0.6, 0.3, 0.1)
    """Frequencies of harmful subgroups A, B, C in every training stage."""
    # pretraining: a "base" model that complies, then safety alignment
    base_steps: int = 500
    """Steps teaching benign answers and harmful compliance (the base model)."""
    align_steps: int = 300
    """Steps of safety alignment (harmful → REFUSE)."""
    batch_size: int = 64
    """Pretraining batch."""
    lr: float = 3e-3
    """Pretraining AdamW learning rate."""
    # adversarial training (same for every aggregator)
    at_steps: int = 60
    """Adversarial-training steps."""
    at_lr: float = 1e-3
    """AdamW learning rate of adversarial training."""
    adv_batch: int = 16
    """Harmful (adversarial) examples per step: the n that WARDEN reweights."""
    util_batch: int = 32
    """Benign utility examples per step."""
    util_near_frac: float = 0.5
    """Share of near-miss benign prompts in the utility batch (guards against over-refusal)."""
    eps_rel: float = 0.5
    """Training ε of the embedding attack, times the mean embedding-row norm (per token, L2)."""
    attack_steps: int = 10
    """Training attack steps."""
    w_toward: float = 0.5
    """Weight of the refusal (toward) term."""
    w_away: float = 0.5
    """Weight of the harmful (away) term."""
    w_util: float = 1.0
    """Weight of the utility term."""
    toward_cutoff: float = 0.5
    """Toward losses below this give no gradient (CAT's code: 0.5)."""
    away_clip: float = -5.0
    """Clip of the away term."""
    kl_eps: float = 0.5
    """WARDEN-KL radius ε."""
    chi2_rho: float = 0.5
    """WARDEN-χ² radius ρ."""
    # evaluation
    eval_per_group: int = 100
    """Harmful test behaviours per subgroup."""
    eval_benign: int = 200
    """Benign (and near-miss) test prompts."""
    eval_attack_steps: int = 50
    """Evaluation embedding-attack steps."""
    eval_eps_mults: tuple[float, ...] = (1.0, 2.0, 3.0)
    """Evaluation ε as multiples of the training ε."""
    gcg_per_group: int = 20
    """Harmful behaviours per subgroup attacked by GCG (0: skip)."""
    gcg_suffix: int = 4
    """GCG suffix length."""
    gcg_steps: int = 20
    """GCG steps."""
    gcg_topk: int = 8
    """GCG top-k tokens per position."""
    gcg_cand: int = 32
    """GCG candidates per step."""
    # matched over-refusal: each method's knob swept on a validation split, one point kept per method
    cat_grid: tuple[float, ...] = ()
    """CAT's utility weights w_util swept on validation (empty: no sweep, the configured point)."""
    kl_grid: tuple[float, ...] = ()
    """WARDEN-KL radii ε swept on validation (empty: no sweep)."""
    chi2_grid: tuple[float, ...] = ()
    """WARDEN-χ² radii ρ swept on validation (empty: no sweep)."""
    target_over_refusal: float | None = 100.0
    """The over-refusal level (%) at which methods are compared: per method, the swept point with the lowest
    validation worst-subgroup ASR (mean of 1× and 2× ε) among those with validation over-refusal ≤ this.
    None: per seed, CAT's validation over-refusal at its configured w_util plus ``match_slack``."""
    match_slack: float = 2.0
    """Points added to CAT's validation over-refusal when ``target_over_refusal`` is None."""
    val_per_group: int = 40
    """Harmful validation behaviours per subgroup in the sweep."""
    val_benign: int = 100
    """Benign and near-miss validation prompts in the sweep."""
    val_attack_steps: int = 30
    """Embedding-attack steps of the validation sweep."""
    llm: LLMConfig | None = None
    """Paper scale: the LLM settings (None: the miniature)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        known = {"aligned", "cat"} | {f"warden_{a}" for a in AGGREGATORS if a != "mean"}
        unknown = set(self.methods) - known
        if unknown:
            raise ValueError(f"unknown method(s) {sorted(unknown)}; expected some of {sorted(known)}")
        if abs(sum(self.group_probs) - 1.0) > 1e-9 or len(self.group_probs) != 3:
            raise ValueError(f"group_probs must be 3 probabilities summing to 1, got {self.group_probs}")
        if self.eps_rel <= 0 or self.kl_eps < 0 or self.chi2_rho < 0:
            raise ValueError("eps_rel must be > 0 and the DRO radii >= 0")
        if 1.0 not in self.eval_eps_mults:
            raise ValueError("eval_eps_mults must contain 1.0 (the training ε)")


SMOKE = WardenConfig(
    scale="smoke",
    seeds=1,
    methods=("aligned", "cat", "warden_kl"),
    base_steps=150,
    align_steps=60,
    at_steps=10,
    eval_per_group=20,
    eval_benign=40,
    eval_attack_steps=10,
    gcg_per_group=4,
    gcg_steps=4,
    cat_grid=(1.0, 4.0),
    kl_grid=(0.1, 0.5),
    target_over_refusal=20.0,
    val_per_group=10,
    val_benign=20,
    val_attack_steps=5,
)
MINI = WardenConfig(
    scale="mini",
    seeds=5,
    methods=("aligned", "cat", "warden_kl"),
    cat_grid=(1.0, 2.0, 4.0),
    kl_grid=(0.01, 0.05, 0.2),
    target_over_refusal=None,
    at_steps=40,
    eps_rel=1.0,
    at_lr=1e-4,
    eval_per_group=60,
    gcg_per_group=12,
)
"""Matched over-refusal: CAT's w_util and WARDEN-KL's radius swept over three values each on a validation
split; the level is, per seed, CAT's validation over-refusal at its default w_util = 1 plus 2 points.
χ² is left out of the mini sweep for CPU (it stays available as ``warden_chi2``). Training ε_rel = 1.0 and
AT learning rate 1e-4 (40 steps) were chosen on development seeds 100-102 by ``scripts/mini_select.py``
(log beside it) so that CAT is not saturated at the training ε (validation worst-subgroup ASR 18 %; at
ε_rel 0.5 and lr 1e-3 it was 0 % at every length and radius tried). The KL grid reaches down to 0.01 (near
CAT) because every radius ≥ 0.05 over-refused more than CAT's level in the previous card. 60/12 test
behaviours per subgroup for embedding/GCG attacks."""
REAL = WardenConfig(
    scale="real",
    seeds=3,
    threads=1,
    methods=("aligned", "cat", "warden_kl"),
    eps_rel=0.05,
    attack_steps=3,
    align_steps=60,
    cat_grid=(1.0, 3.0),
    kl_grid=(0.05, 0.5),
    target_over_refusal=None,
    eval_per_group=8,
    eval_benign=40,
    val_per_group=6,
    val_benign=20,
    eval_eps_mults=(1.0, 2.0),
    gcg_per_group=0,
    llm=LLMConfig(
        model_dir="",
        lora_r=8,
        lora_alpha=16.0,
        lora_dropout=0.05,
        lr=5e-4,
        max_steps=16,
        batch_size=8,
        grad_accum=1,
        adv_fraction=0.5,
        max_length=64,
        attack_steps=3,
        eval_attack_steps=8,
        gen_tokens=8,
        dtype="float32",
        gcg_behaviours=0,
    ),
)
"""SmolLM2-135M-Instruct on CPU (``real.py``), budgets cut to fit 60 min for 3 seeds on 2 cores (the three
seeds side by side, ``--jobs 3``, one thread each): 60 LoRA safety-tuning steps, then 16 CAT-UL steps of 8
examples (4 adversarial, the n that WARDEN reweights; 3-step embedding attack) per swept point, CAT
w_util ∈ {1, 3} and WARDEN-KL ε ∈ {0.05, 0.5} on a validation split (6 behaviours per subgroup, 20 near-miss
prompts); test: 8-step embedding attacks at 1×/2× ε on 8 behaviours per subgroup, 40 near-miss prompts, 8
generated tokens, perplexity on held-out pydoc prose; no GCG (CPU). The previous card (20 training steps, 8
validation and 12 test behaviours per subgroup) took 69.5 min; its phases, measured with the seeds side by
side, were safety tuning 8 min, a test 7.5 min, a training + validation point 9.5 min; with these cuts the
card took 44.3 min. ε_rel = 0.05 chosen on development seed 100 by ``scripts/real_select.py`` (log
beside it, run with 20 training steps): the smallest ε_rel at which the aligned model's validation
worst-subgroup ASR is ≥ 50 % and CAT's stays ≥ 10 % (CAT left 50 %, over-refusal 55 → 5 %). The first card
(75 min, one seed at a time on 2 threads) also swept ε = 0.2: on all three seeds it gave the same
validation point as 0.05, so it was dropped."""
PAPER_SCALE = WardenConfig(
    scale="paper",
    seeds=1,
    device="cuda",
    methods=("cat", "warden_kl"),
    eps_rel=0.05,
    attack_steps=10,
    w_toward=0.5,
    w_away=0.5,
    w_util=1.0,
    toward_cutoff=0.5,
    away_clip=-5.0,
    kl_eps=0.5,
    eval_eps_mults=(1.0, 2.0),
    llm=LLMConfig(),
)
