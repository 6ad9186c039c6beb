"""One seed of the miniature: pretrain and align a tiny Llama, then CAT and WARDEN from the same
aligned checkpoint with the same budget, each evaluated on the same test prompts.

Matched over-refusal: each adversarially trained method sweeps the knob that trades robustness for
refusal (CAT: the utility weight w_util; WARDEN: its radius) over a grid of the same size; every point is
trained with the same batches and attack noise and scored on a validation split (over-refusal and
worst-subgroup ASR). The point kept per method is the one with the lowest validation worst-subgroup ASR
among those whose validation over-refusal is ≤ the target level (``target_over_refusal``, or CAT's own
validation over-refusal at its default point plus ``match_slack``); only the kept point meets the test
split. The validation curves are kept as ``<method>/val<i>_over_refusal`` and ``<method>/val<i>_worst_asr``.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import torch
from torch import nn

from advfrontier.warden.config import WardenConfig
from advfrontier.warden.evaluate import evaluate, make_test_sets
from advfrontier.warden.model import build_llama
from advfrontier.warden.task import VOCAB, Batch
from advfrontier.warden.train import adversarial_train, method_aggregator, pretrain

REPORTED_METRICS: tuple[str, ...] = (
    "utility_acc",
    "over_refusal",
    "asr_direct",
    "asr_emb",
    "asr_gcg",
    "knob",
)
"""Besides these, every worst_group_* metric, the DRO weights and the validation curve are kept."""

KNOBS: dict[str, tuple[str, str]] = {
    "cat": ("w_util", "cat_grid"),
    "warden_kl": ("kl_eps", "kl_grid"),
    "warden_chi2": ("chi2_rho", "chi2_grid"),
}
"""Per method: the config field swept for the matched comparison and the config field holding its grid."""


def _keep(name: str) -> bool:
    per_group = name.startswith("asr_") and name[-2:] in ("_A", "_B", "_C")
    return not per_group and (
        name in REPORTED_METRICS or name.startswith(("worst_group_", "weight_", "asr_emb_", "val"))
    )


def knob_grid(method: str, cfg: WardenConfig) -> tuple[str, tuple[float, ...]]:
    """The swept config field of ``method`` and its values (the configured value alone if no grid)."""
    field, grid = KNOBS[method]
    values = getattr(cfg, grid)
    return field, tuple(values) if values else (float(getattr(cfg, field)),)


def select_point(over_refusal: list[float], worst_asr: list[float], target: float) -> int:
    """Index of the lowest worst-subgroup ASR among points with over-refusal ≤ ``target`` (ties: lower
    over-refusal); if none qualifies, the point of lowest over-refusal."""
    ok = [i for i, r in enumerate(over_refusal) if r <= target]
    if not ok:
        return min(range(len(over_refusal)), key=lambda i: (over_refusal[i], worst_asr[i]))
    return min(ok, key=lambda i: (worst_asr[i], over_refusal[i]))


def _validate(model: nn.Module, cfg: WardenConfig, val: dict[str, Batch], seed: int) -> tuple[float, float]:
    vcfg = replace(cfg, gcg_per_group=0, eval_eps_mults=(1.0, 2.0), eval_attack_steps=cfg.val_attack_steps)
    res = evaluate(model, vcfg, val, torch.Generator().manual_seed(50_000 + seed))
    return res["over_refusal"], 0.5 * (res["worst_group_asr_emb"] + res["worst_group_asr_emb_2x"])


def run_mini(cfg: WardenConfig, seed: int) -> dict[str, float]:
    """Metrics ``"<method>/<metric>"`` for every method of ``cfg`` on one seed."""
    torch.manual_seed(seed)
    model = build_llama(len(VOCAB), cfg.hidden, cfg.layers, cfg.heads, cfg.intermediate)
    pretrain(model, cfg, torch.Generator().manual_seed(seed))
    tests = make_test_sets(cfg, torch.Generator().manual_seed(10_000 + seed))
    vsets = replace(cfg, eval_per_group=cfg.val_per_group, eval_benign=cfg.val_benign)
    val = make_test_sets(vsets, torch.Generator().manual_seed(40_000 + seed))
    metrics: dict[str, float] = {}
    target = cfg.target_over_refusal
    for method in cfg.methods:
        if method == "aligned":
            res = evaluate(model, cfg, tests, torch.Generator().manual_seed(30_000 + seed))
            metrics.update({f"{method}/{k}": v for k, v in res.items() if _keep(k)})
            continue
        field, grid = knob_grid(method, cfg)
        trained, curve_r, curve_a = [], [], []
        for i, value in enumerate(grid):
            c = replace(cfg, **{field: value})
            m = copy.deepcopy(model)
            kind, radius = method_aggregator(method, c)
            # every AT method and grid point sees the same batches and attack noise
            stats = adversarial_train(m, c, kind, radius, torch.Generator().manual_seed(20_000 + seed))
            if len(grid) > 1:
                r, a = _validate(m, c, val, seed)
                curve_r.append(r)
                curve_a.append(a)
                metrics[f"{method}/val{i}_over_refusal"] = r
                metrics[f"{method}/val{i}_worst_asr"] = a
            trained.append((c, m, stats))
        if target is None:  # CAT's validation over-refusal at its configured point sets the level
            if method != "cat" or cfg.w_util not in grid:
                raise ValueError("target_over_refusal=None needs 'cat' first with w_util in cat_grid")
            target = curve_r[grid.index(cfg.w_util)] + cfg.match_slack
            metrics["cat/val_target_over_refusal"] = target
        pick = select_point(curve_r, curve_a, target) if len(grid) > 1 else 0
        c, m, stats = trained[pick]
        res = evaluate(m, c, tests, torch.Generator().manual_seed(30_000 + seed))
        res.update(stats)
        res["knob"] = grid[pick]
        metrics.update({f"{method}/{k}": v for k, v in res.items() if _keep(k)})
    return metrics
