"""The Paper object of REACT for the advfrontier runner."""

from __future__ import annotations

from advfrontier.fight_poison.config import MINI, PAPER_SCALE, SMOKE, FightPoisonConfig
from advfrontier.shared.claims import Greater, NotWorse
from advfrontier.shared.paper import Metrics, Paper, Reported


def run(cfg: FightPoisonConfig, seed: int) -> Metrics:
    """One seed: the miniature, or the paper scale on a local data set."""
    if cfg.dataset == "mini":
        from advfrontier.fight_poison.mini_run import run_mini

        return run_mini(cfg, seed)
    from advfrontier.fight_poison.paper_run import run_paper

    return run_paper(cfg, seed)


T1 = "Table 1 (average over DetectRL, OUTFOX, RAID, SemEval)"
T3 = "Table 3 (ablation, average)"
T4 = "Table 4 (train OUTFOX, test HC3)"
TPR = "TPR@1%FPR table (average)"
PAPER = Paper(
    slug="fight_poison",
    title=(
        "Fight Poison with Poison: Enhancing Robustness in Few-shot Machine-Generated Text Detection "
        "with Adversarial Training (REACT)"
    ),
    citation="Wenjing Duan, Zhou, Li (Xi'an Jiaotong University), arXiv:2605.02374",
    claim=(
        "Adversarially training a few-shot MGT detector against a retrieval-guided LLM rewriter (with a "
        "surrogate detector and a pair-based contrastive loss) lowers the attack success rate of unseen "
        "attacks, keeps or raises clean accuracy and F1, and generalises better out of distribution."
    ),
    configs={"smoke": SMOKE, "mini": MINI, "paper": PAPER_SCALE},
    run=run,
    claims=(
        Greater("ASR below CE", a="ce/asr_avg", b="react/asr_avg"),
        Greater("ASR below w/o PBC", a="react_no_pbc/asr_avg", b="react/asr_avg"),
        Greater("ASR below w/o RAG", a="react_no_rag/asr_avg", b="react/asr_avg"),
        NotWorse("clean Acc not below CE", a="react/acc", b="ce/acc", delta=1.0),
        NotWorse("clean F1 not below CE", a="react/f1", b="ce/f1", delta=1.0),
        Greater("smaller OOD drop than CE", a="ce/ood_drop", b="react/ood_drop"),
    ),
    reported=(
        Reported("ce", "acc", 88.41, T1, "RoBERTa-base, few-shot"),
        Reported("ce", "f1", 87.09, T1, "RoBERTa-base, few-shot"),
        Reported("react", "acc", 93.60, T1),
        Reported("react", "f1", 93.72, T1),
        Reported("fast_detectgpt", "acc", 84.54, T1),
        Reported("fast_detectgpt", "f1", 83.55, T1),
        Reported("ce", "asr_avg", 21.36, T3, "RoBERTa-base"),
        Reported("react_no_pbc", "acc", 91.50, T3),
        Reported("react_no_pbc", "asr_avg", 20.84, T3),
        Reported("react_no_rag", "acc", 91.42, T3),
        Reported("react_no_rag", "asr_avg", 23.53, T3),
        Reported("react", "asr_avg", 10.04, T3),
        Reported("ce", "ood_acc", 52.37, T4, "RoBERTa-base"),
        Reported("ce", "ood_f1", 18.37, T4, "RoBERTa-base"),
        Reported("react", "ood_acc", 86.60, T4),
        Reported("react", "ood_f1", 87.55, T4),
        Reported("react", "tpr1", 80.81, TPR),
        Reported("ce", "tpr1", 73.09, TPR, "RoBERTa-base"),
        Reported("fast_detectgpt", "tpr1", 68.07, TPR),
    ),
    tolerances={"*/asr_*": 7.0, "*/acc": 2.0, "*/f1": 2.5, "*/ood_*": 3.0, "*/auroc": 1.0, "*/tpr1": 7.0},
    methods=("ce", "react_no_pbc", "react_no_rag", "react", "fast_detectgpt"),
    columns=(
        "acc",
        "f1",
        "auroc",
        "tpr1",
        "asr_modify",
        "asr_paraphrase",
        "asr_backtranslate",
        "asr_humanize",
        "asr_avg",
        "ood_acc",
        "ood_f1",
        "ood_drop",
    ),
    notes=(
        "Accuracies, F1, AUROC, TPR@1%FPR and ASR in %; MGT is the positive class; ASR = MGT detected before "
        "and missed after the attack over MGT detected before. Miniature: human passages of CPython's pydoc "
        "prose; MGT from word n-gram generators with planted tic words; OOD = held-out topics and a held-out "
        "generator; D_tar = frozen all-MiniLM-L6-v2 + MLP head; D_sur = hashed n-gram logistic regression; "
        "G = an n-gram rewriter guided by the retrieved X_H/X_M; test attacks are analogues of the paper's "
        "(mask-fill, paraphrase, round trip, humanize). Smoke uses a hashed n-gram body instead of MiniLM."
    ),
)
