"""Clean, PGD-k and CW-k accuracy per example, summarised overall, per class, balanced, head and tail.

Head / tail are defined by the rank of the class's training frequency (not absolute counts, which leave
the released code's tail set empty on CIFAR-10-LT): the ⌊C/3⌋ most frequent classes are the head, the
⌊C/3⌋ least frequent the tail. ``groups`` more rank bins (10: deciles; per class when C = 10) feed the
per-class plot.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advfrontier.mcat.etf import etf_penalty
from advfrontier.shared.attacks.checks import check_budget
from advfrontier.shared.attacks.modes import model_mode
from advfrontier.shared.attacks.pgd import pgd
from advfrontier.shared.data.splits import Split
from advfrontier.shared.threat import ThreatModel


def correct_per_example(
    model: nn.Module,
    data: Split,
    threat: ThreatModel,
    pgd_steps: int,
    cw_steps: int,
    step_size: str,
    batch_size: int = 256,
) -> dict[str, Tensor]:
    """Boolean vectors ``clean``, ``pgd{k}``, ``cw{k}``: was each test example classified correctly."""
    device = next(model.parameters()).device
    out = {k: torch.zeros(len(data), dtype=torch.bool) for k in ("clean", f"pgd{pgd_steps}", f"cw{cw_steps}")}
    with model_mode(model, train=False):
        for i in range(0, len(data), batch_size):
            x, y = data.x[i : i + batch_size].to(device), data.y[i : i + batch_size].to(device)
            sl = slice(i, i + len(y))
            with torch.no_grad():
                logits = model(x)
            if not torch.isfinite(logits).all():
                raise FloatingPointError("model outputs NaN or inf on clean inputs")
            out["clean"][sl] = (logits.argmax(1) == y).cpu()
            for key, loss, steps in (("pgd", "ce", pgd_steps), ("cw", "cw", cw_steps)):
                x_adv = pgd(model, x, y, threat, steps, step_size, loss=loss)
                check_budget(x_adv, x, threat)
                with torch.no_grad():
                    out[f"{key}{steps}"][sl] = (model(x_adv).argmax(1) == y).cpu()
    return out


def rank_groups(train_counts: Tensor, groups: int) -> list[Tensor]:
    """Classes sorted by training frequency (most first, ties by index), cut into ``groups`` bins."""
    order = sorted(range(len(train_counts)), key=lambda c: (-int(train_counts[c]), c))
    return [torch.tensor(b.tolist(), dtype=torch.long) for b in torch.tensor(order).tensor_split(groups)]


def summarise(
    correct: dict[str, Tensor], labels: Tensor, train_counts: Tensor, groups: int = 10
) -> dict[str, float]:
    """Accuracies in %: overall, balanced (mean per class), head, tail, and per rank bin (``_g<i>``)."""
    num_classes = len(train_counts)
    third = max(num_classes // 3, 1)
    ranked = torch.cat(rank_groups(train_counts, num_classes))
    head, tail = ranked[:third], ranked[-third:]
    out: dict[str, float] = {}
    for name, ok in correct.items():
        per_class = torch.stack(
            [ok[labels == c].float().mean() if (labels == c).any() else torch.tensor(float("nan"))
             for c in range(num_classes)]
        )  # fmt: skip
        present = ~per_class.isnan()
        out[f"{name}_acc"] = 100 * float(ok.float().mean())
        out[f"bal_{name}_acc"] = 100 * float(per_class[present].mean())
        bins = [("head", head), ("tail", tail)]
        if name.startswith("pgd"):
            bins += [(g, cls) for g, cls in enumerate(rank_groups(train_counts, groups))]
        for tag, cls in bins:
            keep = present[cls]
            if keep.any():  # a bin without test examples (tiny eval subsets only) is left out
                key = f"{name}_g{tag}" if isinstance(tag, int) else f"{tag}_{name}_acc"
                out[key] = 100 * float(per_class[cls][keep].mean())
    return out


def etf_deviation(model: nn.Module) -> float:
    """R_ETF of the trained classifier (0 for an exact simplex ETF of normalised weights)."""
    with torch.no_grad():
        return float(etf_penalty(model.head.weight))
