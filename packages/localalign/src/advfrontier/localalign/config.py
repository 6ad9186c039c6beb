"""Configs of the three scales: SMOKE and MINI (tiny transformer, synthetic task), PAPER_SCALE (LLM)."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.config import RunConfig

METHODS: tuple[str, ...] = ("none", "secalign", "localalign")


@dataclass(frozen=True)
class LocalAlignConfig(RunConfig):
    """LocalAlign vs SecAlign vs no defence; every defence gets the same preference-training budget."""

    methods: tuple[str, ...] = METHODS
    """Which defences to train and evaluate (table rows)."""
    # --- miniature model and its vulnerable base
    d_model: int = 64
    """Width of the tiny transformer."""
    layers: int = 3
    """Transformer blocks."""
    heads: int = 4
    """Attention heads."""
    base_steps: int = 1500
    """AdamW steps of the base's instruction tuning (from scratch)."""
    base_batch: int = 128
    """Base tuning batch size."""
    base_lr: float = 3e-3
    """Base tuning peak learning rate (one-cycle)."""
    base_inject_share: float = 0.6
    """Share of base tuning samples with an instruction in the data (the base follows the last one)."""
    # --- preference training (shared budget)
    pref_steps: int = 300
    """Preference steps per defence (LocalAlign: warm-up + near-target stage); 0 at paper scale: epochs."""
    pref_batch: int = 64
    """Pairs per preference step."""
    pref_lr: float = 1e-3
    """Preference learning rate (AdamW, constant)."""
    pref_pairs: int = 4096
    """Pairs generated per defence (per stage for LocalAlign)."""
    beta0: float = 0.1
    """β₀ of DPO and of the adaptive β (code: 0.1)."""
    lam: float = 1.0
    """λ of β = β₀·exp(λ·tanh(z)) (code: lambda_scale 1)."""
    ema_momentum: float = 0.9
    """Momentum of the EMAs M₀ and σ² (code: 0.9)."""
    beta_min: float = 0.01
    """Lower clip of the adaptive β (code: 0.01 = β₀/10)."""
    beta_max: float = 1.0
    """Upper clip of the adaptive β (code: 1.0 = 10·β₀)."""
    warmup_frac: float = 0.25
    """LocalAlign: share of the budget spent on the far-target warm-up stage (stage 1)."""
    chosen_ratio: float = 1.0
    """LocalAlign: share of hard (near-target) negatives; the rest are easy (far) ones (code default 1)."""
    completion_share: float = 0.1
    """Share of completion-style injections in defence training (code: 10%)."""
    sample_temperature: float = 0.8
    """Temperature of the self-generated chosen/rejected answers (code: 0.8)."""
    max_grad_norm: float = 1.0
    """Gradient clipping (code: 1.0)."""
    retain: float = 0.0
    """Weight of the retain term (per-token NLL of the chosen response) added to both defences' loss."""
    retain_clean: bool = False
    """Retain term on clean prompts (SFT on the reference answer to a trusted task on uninjected data) instead
    of on the chosen response of the injected pair."""
    budget_every: int = 0
    """Choose the preference budget on validation in chunks of this many steps (0: ``pref_steps`` fixed)."""
    far_target: float = 10.0
    """Budget rule: SecAlign's validation far-target ASR (%) must reach this ..."""
    utility_slack: float = 5.0
    """... with validation utility within this many points of the undefended base's."""
    val_size: int = 150
    """Validation cases per metric of the budget rule."""
    # --- evaluation
    eval_size: int = 300
    """Test cases per metric (utility, far and near hand-written attacks)."""
    gcg_size: int = 48
    """Test cases attacked by GCG per target kind."""
    gcg_steps: int = 20
    """GCG steps (paper: 500 with nanogcg)."""
    gcg_suffix: int = 4
    """Adversarial suffix length in tokens."""
    gcg_topk: int = 8
    """GCG top-k tokens per position (paper: 256 of a 128k vocabulary)."""
    gcg_candidates: int = 16
    """GCG candidate swaps per example and step (paper: 512)."""
    split: str = "test"
    """Which digit split the metrics use: "test" for the table, "val" for development."""
    # --- paper scale (LLM) only
    model_path: str = ""
    """Paper scale: local folder of the instruction model (transformers format); relative to data_dir."""
    train_file: str = "alpaca_data_cleaned.json"
    """Paper scale: Alpaca-cleaned JSON (instruction/input/output) under data_dir."""
    eval_file: str = "davinci_003_outputs.json"
    """Paper scale: AlpacaFarm evaluation JSON under data_dir."""
    lora_r: int = 64
    """LoRA rank (code: 64)."""
    lora_alpha: float = 8.0
    """LoRA α (code: 8)."""
    lora_dropout: float = 0.1
    """LoRA dropout (code: 0.1)."""
    max_prompt_tokens: int = 384
    """Meta-SecAlign MAX_PROMPT_LENGTH."""
    max_new_tokens: int = 128
    """Sampling length of negatives and self-generated answers (code: 128 for B)."""
    eval_new_tokens: int = 512
    """Greedy decoding length at evaluation (code: 512)."""
    train_limit: int | None = None
    """Paper scale: use only the first N Alpaca samples with input (None: all)."""
    eval_limit: int | None = None
    """Paper scale: evaluate on the first N AlpacaFarm samples with input (None: all)."""
    epochs: int = 3
    """Paper scale: preference epochs (SecAlign: 3; LocalAlign's command line value not released)."""
    sep_file: str = "SEP_dataset.json"
    """Paper scale: the SEP suite's file under data_dir (optional; ``sep.py``), first ``eval_limit`` items."""
    judge_path: str = "models/judge"
    """Paper scale: an instruction model folder (relative to data_dir) that judges the AlpacaEval-style
    win rate over text-davinci-003's answers (``winrate.py``); absent: no win rate."""
    winrate_limit: int | None = None
    """Paper scale: judge the first N AlpacaFarm records, with or without input (None: all 805)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        unknown = set(self.methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown method(s) {sorted(unknown)}; expected some of {METHODS}")
        if not 0.0 <= self.warmup_frac < 1.0:
            raise ValueError(f"warmup_frac must be in [0, 1), got {self.warmup_frac}")
        if not 0.0 <= self.chosen_ratio <= 1.0:
            raise ValueError(f"chosen_ratio must be in [0, 1], got {self.chosen_ratio}")
        if self.split not in ("val", "test"):
            raise ValueError(f"split must be 'val' or 'test', got {self.split!r}")
        if self.d_model % self.heads:
            raise ValueError(f"d_model={self.d_model} is not divisible by heads={self.heads}")
        if self.scale == "paper" and not self.model_path:
            raise ValueError("the paper scale needs model_path (a local transformers model folder)")


SMOKE = LocalAlignConfig(
    scale="smoke",
    seeds=1,
    d_model=32,
    layers=2,
    base_steps=150,
    base_batch=64,
    pref_steps=40,
    pref_batch=32,
    pref_pairs=256,
    eval_size=60,
    gcg_size=8,
    gcg_steps=4,
    gcg_candidates=8,
    lora_r=8,
    lora_alpha=8.0,
    pref_lr=2e-3,
    retain=1.0,
    retain_clean=True,
    budget_every=20,
    val_size=40,
)
MINI = LocalAlignConfig(
    scale="mini",
    seeds=5,
    base_steps=500,
    lora_r=8,
    lora_alpha=8.0,
    pref_lr=2e-3,
    retain=1.0,
    retain_clean=True,
    chosen_ratio=0.5,
    pref_steps=600,
    pref_pairs=2048,
    budget_every=50,
    val_size=80,
    eval_size=120,
    gcg_size=16,
)
"""LoRA r 8, α 8, lr 2e-3 with the retain term (weight 1) on clean prompts for both defences, chosen on
development seeds 100-102 by ``scripts/mini_select.py`` (log beside it: with the retain term on the chosen
response SecAlign met the gate on no seed, utility fell 10-40 points; on clean prompts it met it on all
three, at 200 steps on average at lr 2e-3); the preference budget is chosen per seed on validation
(SecAlign's first multiple of 50 steps, ≤ 600, with far-target ASR ≤ 10 % and utility within 5 points of
the base's; LocalAlign gets the same number of steps). LocalAlign's hard:easy negatives 1:1 (the code's
ablation value 0.5; with hard negatives only its far ASR stayed at 97 %) and warm-up share 0.25, chosen at
that budget on the same development seeds by ``scripts/localalign_select.py`` (log beside it). Base 500
steps, 120 test cases per metric and 16 GCG cases."""
REAL = LocalAlignConfig(
    scale="real",
    seeds=3,
    threads=2,
    pref_steps=60,
    pref_batch=4,
    pref_lr=5e-4,
    pref_pairs=240,
    retain=1.0,
    lora_r=8,
    lora_alpha=16.0,
    max_new_tokens=12,
    eval_new_tokens=20,
    eval_size=60,
    val_size=30,
    budget_every=15,
)
"""SmolLM2-135M-Instruct on CPU (``real.py``): up to 60 LoRA steps of 4 pairs per defence, SecAlign's budget
chosen every 15 steps on 30 validation cases (far ASR ≤ 10 %, utility within 5 points of the base) and
given to LocalAlign too; 60 test cases per metric, 12 generated tokens in training (LocalAlign's own
samples and every training response) and 20 at test, no GCG; cut to fit ≤ 60 min on 2 cores for 3 seeds
(measured: ~6 s per LoRA step of 4 pairs, ~80 s to evaluate the base on 30 cases). A card with 24 training
tokens took 68.6 min, over the hour, and LocalAlign's utility was no better (19 % vs 21 %): the base's
samples at T 0.8 are wrong (1 of 16 training prompts answered right in a peek run), not cut off. One seed
at a time (``--jobs 1``: the undefended row is evaluated once per process) on 2 threads (the earlier
cards ran 1 thread and left a core idle)."""
PAPER_SCALE = LocalAlignConfig(
    scale="paper",
    seeds=1,
    device="cuda",
    model_path="models/Qwen3-4B-Instruct-2507",
    pref_steps=0,
    pref_batch=16,
    pref_lr=1.6e-4,
    beta0=0.1,
    gcg_size=50,
    gcg_steps=500,
    gcg_suffix=20,
    gcg_topk=256,
    gcg_candidates=512,
)
