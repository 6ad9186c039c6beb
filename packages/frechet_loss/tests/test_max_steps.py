"""--max-steps truncates the encoders', the teacher flow's and every fine-tuning run's training loop."""

from __future__ import annotations

from collections import Counter

from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.frechet_loss.config import SMOKE
from advfrontier.frechet_loss.mini import run_mini
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
    assert len(steps) >= 4 and set(steps.values()) == {2}  # two encoders, the flow, ≥ 1 fine-tuned student
