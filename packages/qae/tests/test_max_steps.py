"""--max-steps truncates the classifier's, the QAE's and the CAE's training loops."""

from __future__ import annotations

from collections import Counter

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.qae.config import SMOKE
from advfrontier.qae.paper import _train
from advfrontier.shared import engine


def test_max_steps_caps_each_model_at_two_steps() -> None:
    side, n = SMOKE.image_side, 64  # 64 images: several batches per epoch, several epochs each
    x, y = torch.rand(n, 1, side, side), torch.arange(n) % len(SMOKE.classes)
    steps: Counter[object] = Counter()
    # keyed by the optimiser itself (not its id, which a later optimiser may reuse)
    hook = register_optimizer_step_post_hook(lambda opt, args, kwargs: steps.update([opt]))
    engine.set_max_steps(2)
    try:
        _train(SMOKE, x, y, 0, torch.device("cpu"))
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert sorted(steps.values()) == [2, 2, 2]
