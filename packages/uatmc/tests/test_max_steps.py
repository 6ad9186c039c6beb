"""--max-steps truncates both training stages of every defence."""

from __future__ import annotations

from collections import Counter

from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.shared import engine
from advfrontier.uatmc.config import SMOKE
from advfrontier.uatmc.run import run_seed


def test_max_steps_caps_every_training_loop_at_two_steps() -> None:
    steps: Counter[object] = Counter()
    # keyed by the optimiser itself (not its id, which a later optimiser may reuse)
    hook = register_optimizer_step_post_hook(lambda opt, args, kwargs: steps.update([opt]))
    engine.set_max_steps(2)
    try:
        run_seed(SMOKE, 0)
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert steps and max(steps.values()) == 2  # stage 1 and each stage-2 defence: two steps each
