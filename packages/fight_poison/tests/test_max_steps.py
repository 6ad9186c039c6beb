"""--max-steps truncates the clean warm start, the CE baseline and REACT's adversarial epochs."""

from __future__ import annotations

from collections import Counter

from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.fight_poison.config import SMOKE
from advfrontier.fight_poison.mini_run import run_mini
from advfrontier.shared import engine


def test_max_steps_caps_every_training_loop_at_two_steps() -> None:
    steps: Counter[object] = Counter()
    # keyed by the optimiser itself (not its id, which a later optimiser may reuse)
    hook = register_optimizer_step_post_hook(lambda opt, args, kwargs: steps.update([opt]))
    engine.set_max_steps(2)
    try:
        run_mini(SMOKE, 0)
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert len(steps) >= 4 and set(steps.values()) == {2}  # warm starts, CE, D_tar and D_sur of REACT
