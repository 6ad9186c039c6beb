"""--max-steps truncates the warm start, every method's training and the generators' fit."""

from __future__ import annotations

import dataclasses
from collections import Counter

from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.mcat.config import SMOKE
from advfrontier.mcat.paper import run
from advfrontier.shared import engine


def test_max_steps_caps_every_training_loop_at_two_steps() -> None:
    steps: Counter[object] = Counter()

    def count(opt, args, kwargs) -> None:
        # the latent search's Adam on z alone is part of the distance (an inner solve, not training)
        if sum(len(g["params"]) for g in opt.param_groups) > 1:
            steps.update([opt])  # keyed by the optimiser itself (not its id, which may be reused)

    hook = register_optimizer_step_post_hook(count)
    engine.set_max_steps(2)
    try:
        run(dataclasses.replace(SMOKE, eval_size=8, imbalance_ratios=SMOKE.imbalance_ratios[:1]), 0)
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert len(steps) >= 1 + len(SMOKE.methods) and set(steps.values()) == {2}  # warm start, methods, G fits
