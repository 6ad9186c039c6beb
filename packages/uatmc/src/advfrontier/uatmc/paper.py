"""UAT-MC as a paper of the monorepo: configs, run(config, seed), claims, table layout."""

from __future__ import annotations

from advfrontier.shared.claims import Greater, NotWorse
from advfrontier.shared.paper import Metrics, Paper
from advfrontier.uatmc.config import MINI, PAPER_SCALE, SMOKE, UATMCConfig
from advfrontier.uatmc.run import run_seed


def run(config: UATMCConfig, seed: int) -> Metrics:
    """One seed: stage-1 VBPR/MMGCN, the defences, utility and FGSM/PGD promotion attacks."""
    return run_seed(config, seed)


PAPER = Paper(
    slug="uatmc",
    title=(
        "Band Together: Untargeted Adversarial Training with Multimodal Coordination against "
        "Evasion-based Promotion Attacks (UAT-MC)"
    ),
    citation="Xian, Yang, Yu, IJCAI 2026, arXiv:2605.06238; code github.com/gmXian/UAT-MC (built on MMRec)",
    claim=(
        "Promotion attacks on multimodal recommenders succeed because user groups driven by different "
        "modalities make the modalities' gradients disagree; adversarial training with gradient-aligned "
        "(coordinated) visual+text perturbations lowers the promotion gain more than single-modality or "
        "uncoordinated multimodal AT, at a small utility cost."
    ),
    configs={"smoke": SMOKE, "mini": MINI, "paper": PAPER_SCALE},
    run=run,
    claims=(
        Greater("two groups lower the cross-modal gradient cosine", a="control/grad_cos", b="none/grad_cos"),
        Greater("UAT-MC below no defence (PGD gain)", a="none/pgd_gain", b="uat_mc/pgd_gain"),
        Greater("UAT-MC below visual-only AT (PGD gain)", a="at_v/pgd_gain", b="uat_mc/pgd_gain"),
        Greater("UAT-MC below text-only AT (PGD gain)", a="at_t/pgd_gain", b="uat_mc/pgd_gain"),
        Greater("UAT-MC below λ_ga = 0 (PGD gain)", a="mm_at/pgd_gain", b="uat_mc/pgd_gain"),
        NotWorse("Recall@20 kept", a="uat_mc/recall@20", b="none/recall@20", delta=1.0),
        NotWorse("NDCG@10 kept", a="uat_mc/ndcg@10", b="none/ndcg@10", delta=1.0),
    ),
    reported=(),
    tolerances={
        "*/recall@*": 2.0,
        "*/ndcg@*": 2.0,
        "*/hr_*": 1.0,
        "*_gain": 10.0,
        "*/grad_cos": 0.02,
    },
    methods=("none", "at_v", "at_t", "mm_at", "uat_mc", "control"),
    columns=(
        "recall@20",
        "ndcg@10",
        "recall@10",
        "ndcg@20",
        "hr_clean",
        "hr_fgsm",
        "hr_pgd",
        "fgsm_gain",
        "pgd_gain",
        "grad_cos",
    ),
    notes=(
        "Recall/NDCG@K and HR@K in %, gains (after/before − 1)·100 %. Synthetic MMRec-format data: half "
        "the users choose items by their visual latent, half by their text latent; 'control' is a VBPR "
        "trained on the same items where every user uses both. VBPR_MLP (d = 16); attack on the target's "
        "projected features, L∞ ε = 0.1, HR@10 (smoke HR@5) over 40% anchor users; training perturbation "
        "L2 ε = 0.1, λ_adv = 5, λ_ga = 4. grad_cos is the cosine between the promotion loss's gradients "
        "w.r.t. the target's visual and text features, averaged over targets. The paper's tables could not "
        "be retrieved, so no reported numbers are shown."
    ),
)
