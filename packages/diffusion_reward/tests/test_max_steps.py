"""--max-steps truncates the four reward learners' training loops."""

from __future__ import annotations

from collections import Counter

from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.diffusion_reward.config import SMOKE
from advfrontier.diffusion_reward.miniature import run_miniature
from advfrontier.shared import engine


def test_max_steps_caps_every_training_loop_at_two_steps() -> None:
    steps: Counter[object] = Counter()
    # keyed by the optimiser itself (not its id, which a later optimiser may reuse)
    hook = register_optimizer_step_post_hook(lambda opt, args, kwargs: steps.update([opt]))
    engine.set_max_steps(2)
    try:
        run_miniature(SMOKE, 0)
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert len(steps) == 5 and set(steps.values()) == {2}  # EnergyFlow, diffusion, BC, AIRL's D and G
