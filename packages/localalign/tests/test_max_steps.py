"""--max-steps truncates the base SFT, SecAlign's DPO and both of LocalAlign's preference stages."""

from __future__ import annotations

from collections import Counter

from torch.optim.optimizer import register_optimizer_step_post_hook

from advfrontier.localalign.config import SMOKE
from advfrontier.localalign.data import digit_splits
from advfrontier.localalign.mini import localalign, secalign
from advfrontier.localalign.model import TinyLM
from advfrontier.localalign.task import VOCAB
from advfrontier.localalign.train import train_base
from advfrontier.shared import engine


def test_max_steps_caps_every_training_loop_at_two_steps() -> None:
    cfg, pool = SMOKE, digit_splits()["train"]
    steps: Counter[object] = Counter()
    # keyed by the optimiser itself (not its id, which a later optimiser may reuse)
    hook = register_optimizer_step_post_hook(lambda opt, args, kwargs: steps.update([opt]))
    engine.set_max_steps(2)
    try:
        base = TinyLM(len(VOCAB), cfg.d_model, cfg.layers, cfg.heads, 4 * cfg.d_model)
        train_base(base, pool, cfg.base_steps, cfg.base_batch, cfg.base_lr, cfg.base_inject_share, 0)
        _, done = secalign(base, cfg, pool, 0, None)
        localalign(base, cfg, pool, 0, cfg.pref_steps)
    finally:
        engine.set_max_steps(None)
        hook.remove()
    assert done == 2  # SecAlign reports the steps it really took
    assert len(steps) == 4 and set(steps.values()) == {2}  # base, SecAlign, LocalAlign warm-up and stage 3
