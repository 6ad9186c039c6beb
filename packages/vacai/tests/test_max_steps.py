"""--max-steps truncates every parser's training (and its epoch loop); each parser reports its epochs."""

from __future__ import annotations

from collections import Counter

import pytest
from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.shared import engine
from advfrontier.vacai.config import SMOKE
from advfrontier.vacai.paper import run


def test_max_steps_caps_every_parser_at_two_steps(capsys: pytest.CaptureFixture) -> None:
    steps: Counter[object] = Counter()
    # keyed by the optimiser itself (not its id, which a later optimiser may reuse)
    hook = register_optimizer_step_post_hook(lambda opt, args, kwargs: steps.update([opt]))
    engine.set_max_steps(2)
    try:
        metrics = run(SMOKE, 0)
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert steps and set(steps.values()) == {2}
    assert all(metrics[f"{m}/epochs"] == 1 for m in SMOKE.methods)  # the second epoch never starts
    # one progress line per parser, naming its seed, variant and sources, with its dev LAS
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("[vacai seed 0 ")]
    assert len(lines) == len(steps)
    assert all("epoch 1/" in line and "dev LAS" in line for line in lines)
