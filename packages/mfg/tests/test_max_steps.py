"""--max-steps truncates deep policy iteration (its unit: descent steps on θ)."""

from __future__ import annotations

from collections import Counter

from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.mfg.config import SMOKE
from advfrontier.mfg.solver import problem_for, train
from advfrontier.shared import engine


def test_max_steps_stops_policy_iteration_after_two_descent_steps() -> None:
    assert SMOKE.descent == 2 and SMOKE.ascent == 1 and SMOKE.iters == 150
    steps: Counter[object] = Counter()
    # keyed by the optimiser itself (not its id, which a later optimiser may reuse)
    hook = register_optimizer_step_post_hook(lambda opt, args, kwargs: steps.update([opt]))
    iters: list[int] = []
    engine.set_max_steps(2)
    try:
        train(problem_for(SMOKE, 1), SMOKE, "adv", on_iter=lambda i, _: iters.append(i))
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert iters == [0]  # one iteration of 150
    assert sorted(steps.values()) == [1, 2, 2]  # θ and α: two descent steps each; η: its one ascent step
