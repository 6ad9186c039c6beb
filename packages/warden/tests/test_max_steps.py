"""--max-steps truncates the base and alignment fits and CAT/WARDEN's adversarial training."""

from __future__ import annotations

from collections import Counter

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.shared import engine
from advfrontier.warden.config import SMOKE as CFG
from advfrontier.warden.model import build_llama
from advfrontier.warden.task import VOCAB
from advfrontier.warden.train import adversarial_train, method_aggregator, pretrain


def test_max_steps_caps_every_training_loop_at_two_steps() -> None:
    steps: Counter[object] = Counter()
    # keyed by the optimiser itself (not its id, which a later optimiser may reuse)
    hook = register_optimizer_step_post_hook(lambda opt, args, kwargs: steps.update([opt]))
    engine.set_max_steps(2)
    try:
        model = build_llama(len(VOCAB), CFG.hidden, CFG.layers, CFG.heads, CFG.intermediate)
        pretrain(model, CFG, torch.Generator().manual_seed(0))
        kind, radius = method_aggregator("warden_kl", CFG)
        stats = adversarial_train(model, CFG, kind, radius, torch.Generator().manual_seed(1))
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert len(steps) == 3 and set(steps.values()) == {2}  # base, alignment, adversarial training
    assert stats["weight_max"] >= 1.0  # averaged over the two steps taken (KL ball: max n·q ≥ 1)
