"""The attacker's choice of G's strength, fixed before any result: the most evasive on validation MGT.

From the candidate regeneration rates, the attacker keeps the one whose rewrites of the validation
split's machine texts the surrogate D_sur (after its clean phase) calls human most often: the attacker's
own criterion, no test data and no target detector involved. Ties go to the larger strength.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

from advfrontier.fight_poison.react import RetrievalPool, Rewriter


@torch.no_grad()
def evasion_rate(surrogate: nn.Module, texts: Sequence[str]) -> float:
    """Share (%) of texts that D_sur labels human (argmax of its logits is 0)."""
    if not texts:
        return 0.0
    surrogate.eval()
    return 100.0 * float((surrogate(list(texts)).argmax(-1) == 0).float().mean())


def select_strength(
    surrogate: nn.Module,
    rewriter_at: Callable[[float], Rewriter],
    machine_texts: Sequence[str],
    pool_texts: Sequence[str],
    strengths: Sequence[float],
    rng_seed: Sequence[int],
) -> tuple[float, dict[float, float]]:
    """The strength whose rewrites of ``machine_texts`` evade D_sur most (ties → larger); and every rate.

    Each candidate rewrites the same texts with the same X_H, X_M (retrieved from ``pool_texts`` by D_sur)
    and the same random stream, so only the strength differs.
    """
    if not strengths:
        raise ValueError("need at least one candidate strength")
    x_h, x_m = RetrievalPool(pool_texts).retrieve(surrogate)
    rates: dict[float, float] = {}
    for s in strengths:
        g, rng = rewriter_at(s), np.random.default_rng(list(rng_seed))
        rates[s] = evasion_rate(surrogate, [g(x, x_h, x_m, rng) for x in machine_texts])
    best = max(rates.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return best, rates
