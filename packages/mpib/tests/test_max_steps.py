"""--max-steps truncates every method's training loop."""

from __future__ import annotations

import dataclasses
from collections import Counter

from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.mpib.config import SMOKE
from advfrontier.mpib.paper import run
from advfrontier.shared import engine


def test_max_steps_caps_every_method_at_two_steps() -> None:
    steps: Counter[object] = Counter()
    # keyed by the optimiser itself (not its id, which a later optimiser may reuse)
    hook = register_optimizer_step_post_hook(lambda opt, args, kwargs: steps.update([opt]))
    engine.set_max_steps(2)
    try:
        run(dataclasses.replace(SMOKE, latency_reps=1), 0)
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert len(steps) == len(SMOKE.methods) and set(steps.values()) == {2}  # smoke: 6 epochs otherwise
