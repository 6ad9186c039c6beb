"""Configs of UAT-MC: SMOKE, MINI (synthetic two-group data), REAL (MovieLens-100k), PAPER_SCALE (Baby)."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.config import RunConfig, with_overrides

METHODS: tuple[str, ...] = ("none", "at_v", "at_t", "mm_at", "uat_mc")
"""no defence, visual-only AT, text-only AT, multimodal AT with λ_ga = 0, UAT-MC (λ_ga > 0)."""
MODELS: tuple[str, ...] = ("vbpr", "mmgcn")
DATASETS: tuple[str, ...] = ("synthetic", "ml100k", "baby", "sports", "clothing")


@dataclass(frozen=True)
class UATMCConfig(RunConfig):
    """One backbone, one data set, the five defences, FGSM/PGD promotion attacks on target items."""

    dataset: str = "synthetic"
    """"synthetic" (generated, written in MMRec format, read back), "ml100k" (real scale) or an MMRec set."""
    n_users: int = 120
    """Synthetic: users (half of them visual-driven, half text-driven)."""
    n_items: int = 100
    """Synthetic: items."""
    n_factors: int = 6
    """Synthetic: dimension of each modality's item latent z_v, z_t."""
    v_dim: int = 48
    """Synthetic: raw visual feature dimension (stands for the 4096-d CNN features)."""
    t_dim: int = 32
    """Synthetic: raw text feature dimension (stands for the 384-d MiniLM features)."""
    feat_noise: float = 0.3
    """Synthetic: std of the modality-specific noise added to A_m·z_m."""
    inters_per_user: int = 15
    """Synthetic: interactions drawn per user."""
    taste_temp: float = 2.0
    """Synthetic: inverse temperature of the softmax that draws a user's items from her scores."""
    kg_min_count: int = 5
    """ml100k: keep the knowledge-graph facts that at least this many films share."""
    model: str = "vbpr"
    """Backbone: vbpr (VBPR_MLP) or mmgcn (MMGCN_MLP)."""
    emb_dim: int = 16
    """Embedding size d (paper 64): ID part d, projected features d each, user 2d for VBPR."""
    v_hidden: tuple[int, ...] = (32,)
    """Hidden widths of the visual projection MLP P_v (paper 1024, 256)."""
    t_hidden: tuple[int, ...] = (32,)
    """Hidden widths of the text projection MLP P_t (paper 256)."""
    gcn_layers: int = 3
    """MMGCN: graph convolution layers (hard-coded 3 in the released code)."""
    lr: float = 1e-3
    """Adam learning rate for both stages (the released VBPR configs' 1e-3)."""
    batch_size: int = 512
    """BPR triples per batch."""
    epochs: int = 40
    """Stage 1 (normal training) epochs."""
    at_epochs: int = 20
    """Stage 2 (adversarial training from the stage-1 model, projections frozen) epochs."""
    eval_every: int = 5
    """Validate every this many epochs; the best validation Recall@20 is kept."""
    reg_weight: float = 1.0
    """λ_reg of the embedding regulariser (the released VBPR configs' 1.0)."""
    reg_grid: tuple[float, ...] = ()
    """If not empty: λ_reg is chosen from these on the stage-1 validation Recall@20 (per seed)."""
    align_weight: float = 1.0
    """λ_al of the cross-modal InfoNCE alignment loss (stage 1)."""
    train_eps: float = 0.1
    """ε of the training perturbation, relative to ‖f_m,i‖ (= 1)."""
    adv_weight: float = 5.0
    """λ_adv of the adversarial BPR loss."""
    ga_weight: float = 4.0
    """λ_ga of the gradient-alignment term in UAT-MC's perturbation objective."""
    swap_modalities_in_at: bool = False
    """Reproduce the released code's swap of v and t during AT (deviation Q1); False = intended method."""
    attack_eps: float = 0.1
    """ε of the promotion attack, L∞ on each projected feature of the target item."""
    pgd_steps: int = 10
    """PGD steps, each 1.25·ε/steps."""
    fgsm_margin: float = 10.0
    """Margin m of the max_hit loss for FGSM (paper 10)."""
    pgd_margin: float = 1.0
    """Margin m of the max_hit loss for PGD (paper 1)."""
    hit_k: int = 10
    """K of HR@K and of the K-th best score in the attack loss (paper 50)."""
    train_seed: int | None = None
    """Seed of the data split and training; None = the run's seed (paper protocol: one model, seed 999)."""
    attack_seed_offset: int = 0
    """Run seed s draws anchors and targets with seed s + offset (paper: 1, so seeds 0..9 are 1–10)."""
    anchor_frac: float = 0.4
    """Share of users that are anchor users of the attack."""
    n_targets: int = 30
    """Target items per seed (uniform over the candidate pool)."""
    target_pool: str = "all"
    """Candidate targets: "all" items or "cold" items (at most ``cold_max`` training interactions)."""
    cold_max: int = 5
    """Cold items have at most this many training interactions (the released attack's cold split)."""
    topk: tuple[int, ...] = (10, 20)
    """K of the utility metrics Recall@K and NDCG@K."""
    methods: tuple[str, ...] = METHODS
    """Defences to train and attack."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {DATASETS}, got {self.dataset!r}")
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {MODELS}, got {self.model!r}")
        unknown = set(self.methods) - set(METHODS)
        if unknown:
            raise ValueError(f"unknown method(s) {sorted(unknown)}; expected some of {METHODS}")
        if "none" not in self.methods:
            raise ValueError("methods must include 'none' (the stage-1 model every defence starts from)")
        if any(r < 0 for r in self.reg_grid):
            raise ValueError(f"reg_grid values must be >= 0, got {self.reg_grid}")
        if self.target_pool not in ("all", "cold"):
            raise ValueError(f"target_pool must be 'all' or 'cold', got {self.target_pool!r}")
        if not 0 < self.anchor_frac <= 1:
            raise ValueError(f"anchor_frac must be in (0, 1], got {self.anchor_frac}")
        if self.train_eps < 0 or self.attack_eps < 0:
            raise ValueError("train_eps and attack_eps must be non-negative")
        if self.hit_k < 1 or self.pgd_steps < 1 or self.epochs < 1 or self.eval_every < 1:
            raise ValueError("hit_k, pgd_steps, epochs and eval_every must be >= 1")


SMOKE = UATMCConfig(
    scale="smoke",
    n_users=60,
    n_items=50,
    epochs=10,
    at_epochs=4,
    n_targets=10,
    hit_k=5,
    reg_grid=(1.0, 1e-3),
)
MINI = UATMCConfig(
    scale="mini",
    seeds=5,
    n_users=400,
    n_items=250,
    epochs=80,
    at_epochs=30,
    n_targets=80,
    reg_grid=(1.0, 1e-3),
)
"""lr 1e-3 as the released configs; λ_reg chosen on validation between the released 1.0 and 1e-3."""
REAL = UATMCConfig(
    scale="real",
    seeds=3,
    dataset="ml100k",
    model="vbpr",
    emb_dim=64,
    v_hidden=(256,),
    t_hidden=(256,),
    lr=1e-3,
    batch_size=2048,
    epochs=30,
    at_epochs=20,
    eval_every=5,
    reg_weight=1.0,
    train_eps=0.05,
    adv_weight=5.0,
    ga_weight=4.0,
    attack_eps=0.05,
    hit_k=50,
    n_targets=100,
    target_pool="cold",
    cold_max=5,
    reg_grid=(1.0, 1e-3),
)
"""MovieLens-100k (943 users × 1,682 items) from the recbole wheel's files: VBPR_MLP with the released
Baby hyperparameters (d = 64, lr 1e-3, ε 0.05, λ_adv 5, λ_ga 4; λ_reg chosen on validation from
the released 1.0 and 1e-3), HR@50 on 100 cold targets
(≤ 5 training interactions) per seed; stages 1 and 2 run 30 and 20 epochs (not 50) to fit 60 min on 2 cores
(measured CPU time per seed ≈ 26 min: stage 1 twice ≈ 9, stage 2 ≈ 11, attacks ≈ 5)."""
PAPER_SCALE = UATMCConfig(
    scale="paper",
    seeds=10,
    train_seed=999,
    attack_seed_offset=1,
    device="cuda",
    dataset="baby",
    model="vbpr",
    emb_dim=64,
    v_hidden=(1024, 256),
    t_hidden=(256,),
    lr=1e-3,
    batch_size=2048,
    epochs=50,
    at_epochs=50,
    eval_every=1,
    reg_weight=1.0,
    align_weight=1.0,
    train_eps=0.05,
    adv_weight=5.0,
    ga_weight=4.0,
    attack_eps=0.05,
    pgd_steps=10,
    fgsm_margin=10.0,
    pgd_margin=1.0,
    hit_k=50,
    anchor_frac=0.4,
    n_targets=100,
    topk=(10, 20),
)
"""The released protocol on Amazon Baby with VBPR: one model trained with seed 999, attacked with seeds
1–10 (100 uniform targets each, HR@50); the released VBPR Baby hyperparameters."""

MMGCN_BABY: dict[str, object] = {
    "model": "mmgcn",
    "train_eps": 0.1,
    "attack_eps": 0.1,
    "adv_weight": 6.0,
    "ga_weight": 0.1,
    "reg_weight": 0.01,
    "lr": 5e-4,
}
"""The released MMGCN Baby values (λ_adv 6–7 in the configs; 6 here), as overrides of PAPER_SCALE."""
PAPER_SCALE_MMGCN = with_overrides(PAPER_SCALE, **MMGCN_BABY)
