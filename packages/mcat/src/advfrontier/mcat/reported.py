"""Paper-reported numbers (MCAT appendix) and the claim checks of the miniature."""

from __future__ import annotations

from advfrontier.shared.claims import AtLeast, AtMost, Better, Fact, NotWorse
from advfrontier.shared.paper import Reported

_C100 = "MCAT appendix, CIFAR-100-LT table (AutoAttack)"
_TIN = "MCAT appendix, Tiny-ImageNet-LT table (3 seeds)"
_TIN_SET = "Tiny-ImageNet-LT, ρ 100"

REPORTED: tuple[Reported, ...] = (
    Reported("mcat", "aa_acc", 34.6, _C100, "CIFAR-100-LT ρ 10, ResNet-18"),
    Reported("mcat", "aa_acc", 32.0, _C100, "CIFAR-100-LT ρ 50, ResNet-18"),
    Reported("mcat", "tail_aa_acc", 26.2, _C100, "CIFAR-100-LT ρ 10, ResNet-18"),
    Reported("at_bsl", "aa_acc", 32.9, _C100, "CIFAR-100-LT ρ 10, ResNet-18"),
    Reported("at_bsl", "aa_acc", 28.7, _C100, "CIFAR-100-LT ρ 50, ResNet-18"),
    Reported("at_bsl", "tail_aa_acc", 20.8, _C100, "CIFAR-100-LT ρ 10, ResNet-18"),
    Reported("pgd_at", "bal_clean_acc", 31.2, _TIN, _TIN_SET),
    Reported("pgd_at", "tail_pgd_acc", 9.3, _TIN, _TIN_SET),
    Reported("trades", "bal_clean_acc", 32.1, _TIN, _TIN_SET),
    Reported("trades", "tail_pgd_acc", 10.2, _TIN, _TIN_SET),
    Reported("at_bsl", "bal_clean_acc", 37.6, _TIN, _TIN_SET),
    Reported("at_bsl", "tail_pgd_acc", 14.7, _TIN, _TIN_SET),
    Reported("mcat", "bal_clean_acc", 42.3, _TIN, _TIN_SET),
    Reported("mcat", "tail_pgd_acc", 18.9, _TIN, _TIN_SET),
)

_CLAIM = "paper's claim (abstract, main text not readable here)"

CLAIMS = tuple(
    c
    for ir in ("10", "50", "100")
    for c in (
        Better(
            f"MCAT raises tail robust accuracy over PGD-AT (ρ {ir})",
            a=f"mcat@ir{ir}/tail_pgd20_acc",
            b=f"pgd_at@ir{ir}/tail_pgd20_acc",
            wording="raises tail-class robust accuracy under long-tailed training",
            source=_CLAIM,
            headline=True,
        ),
        NotWorse(
            f"MCAT keeps overall robust accuracy of PGD-AT (ρ {ir})",
            a=f"mcat@ir{ir}/pgd20_acc",
            b=f"pgd_at@ir{ir}/pgd20_acc",
            delta=1.0,
            wording="without losing overall robustness (δ = 1 point: our reading)",
            source=_CLAIM,
        ),
        Better(
            f"MCAT's balanced robust accuracy beats AT-BSL's (ρ {ir})",
            a=f"mcat@ir{ir}/bal_pgd20_acc",
            b=f"at_bsl@ir{ir}/bal_pgd20_acc",
            wording="MCAT BR 22.6 vs AT-BSL 17.9 (Tiny-ImageNet-LT, ρ 100)",
            source=_TIN,
        ),
        Better(
            f"the ETF penalty raises tail robust accuracy (PGD-AT + R_ETF vs PGD-AT, ρ {ir})",
            a=f"mcat_code@ir{ir}/tail_pgd20_acc",
            b=f"pgd_at@ir{ir}/tail_pgd20_acc",
            wording="pulling the classifier towards a simplex ETF raises tail robustness",
            source=_CLAIM,
        ),
        AtMost(
            f"mechanism: λ·d stays within 10 × CE at the last epoch (ρ {ir})",
            a=f"mcat@ir{ir}/lam_d_over_ce_final",
            threshold=10.0,
            wording="(a check of the miniature, not the paper: the manifold term must not swamp CE)",
            source="issue 20",
        ),
        AtLeast(
            f"mechanism: λ·d is at least 0.1 × CE at the last epoch (ρ {ir})",
            a=f"mcat@ir{ir}/lam_d_over_ce_final",
            threshold=0.1,
            wording="(a check of the miniature, not the paper: below CE/10 the manifold term barely acts)",
            source="issue 20",
        ),
    )
)

FACTS = tuple(
    Fact(
        f"R_ETF of the released-code classifier (ρ {ir})",
        metric=f"mcat_code@ir{ir}/etf_dev",
        note="0 = exact simplex ETF; the penalty lowers it by construction, so it is a fact, not a claim",
    )
    for ir in ("10", "50", "100")
)
