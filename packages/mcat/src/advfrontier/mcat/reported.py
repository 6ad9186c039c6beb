"""Paper-reported numbers (MCAT appendix) and the claim checks of the miniature."""

from __future__ import annotations

from advfrontier.shared.claims import Greater, NotWorse
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

CLAIMS = tuple(
    c
    for ir in ("10", "50")
    for c in (
        Greater(
            f"MCAT raises tail robust accuracy over PGD-AT (ρ {ir})",
            a=f"mcat@ir{ir}/tail_pgd20_acc",
            b=f"pgd_at@ir{ir}/tail_pgd20_acc",
        ),
        NotWorse(
            f"MCAT keeps overall robust accuracy of PGD-AT (ρ {ir})",
            a=f"mcat@ir{ir}/pgd20_acc",
            b=f"pgd_at@ir{ir}/pgd20_acc",
            delta=1.0,
        ),
        Greater(
            f"the ETF penalty pulls W towards a simplex ETF (released β_g 1, ρ {ir})",
            a=f"pgd_at@ir{ir}/etf_dev",
            b=f"mcat_code@ir{ir}/etf_dev",
        ),
    )
)
