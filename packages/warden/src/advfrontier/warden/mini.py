"""One seed of the miniature: pretrain and align a tiny Llama, then CAT and WARDEN from the same
aligned checkpoint with the same budget, each evaluated on the same test prompts."""

from __future__ import annotations

import copy

import torch

from advfrontier.warden.config import WardenConfig
from advfrontier.warden.evaluate import evaluate, make_test_sets
from advfrontier.warden.model import build_llama
from advfrontier.warden.task import VOCAB
from advfrontier.warden.train import adversarial_train, method_aggregator, pretrain

REPORTED_METRICS: tuple[str, ...] = ("utility_acc", "over_refusal", "asr_direct", "asr_emb", "asr_gcg")
"""Besides these, every worst_group_* metric and the DRO weights are kept (per-group ASRs are dropped)."""


def _keep(name: str) -> bool:
    per_group = name.startswith("asr_") and name[-2:] in ("_A", "_B", "_C")
    return not per_group and (
        name in REPORTED_METRICS or name.startswith(("worst_group_", "weight_", "asr_emb_"))
    )


def run_mini(cfg: WardenConfig, seed: int) -> dict[str, float]:
    """Metrics ``"<method>/<metric>"`` for every method of ``cfg`` on one seed."""
    torch.manual_seed(seed)
    model = build_llama(len(VOCAB), cfg.hidden, cfg.layers, cfg.heads, cfg.intermediate)
    pretrain(model, cfg, torch.Generator().manual_seed(seed))
    tests = make_test_sets(cfg, torch.Generator().manual_seed(10_000 + seed))
    metrics: dict[str, float] = {}
    for method in cfg.methods:
        m = copy.deepcopy(model)
        stats: dict[str, float] = {}
        if method != "aligned":
            kind, radius = method_aggregator(method, cfg)
            # every AT method sees the same batches and attack noise
            stats = adversarial_train(m, cfg, kind, radius, torch.Generator().manual_seed(20_000 + seed))
        res = evaluate(m, cfg, tests, torch.Generator().manual_seed(30_000 + seed))
        res.update(stats)
        metrics.update({f"{method}/{k}": v for k, v in res.items() if _keep(k)})
    return metrics
