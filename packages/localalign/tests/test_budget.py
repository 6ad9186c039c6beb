"""The retain term and the validation-chosen preference budget."""

from __future__ import annotations

import random

import torch

from advfrontier.localalign.data import digit_splits
from advfrontier.localalign.model import TinyLM
from advfrontier.localalign.pairs import far_pairs
from advfrontier.localalign.task import VOCAB
from advfrontier.localalign.train import PrefConfig, dpo, preference_train, retain_loss


def test_retain_loss_is_per_token_nll_of_the_chosen_response() -> None:
    logp = torch.tensor([-2.0, -9.0])
    mask = torch.tensor([[0, 1, 1], [1, 1, 1]], dtype=torch.bool)
    assert torch.isclose(retain_loss(logp, mask), torch.tensor((1.0 + 3.0) / 2))


def test_preference_training_stops_when_the_rule_says_so() -> None:
    torch.manual_seed(0)
    model = TinyLM(len(VOCAB), d=16, layers=1, heads=2, ff=32)
    pairs = far_pairs(digit_splits()["train"], 32, random.Random(0), 0.1)
    seen: list[int] = []

    def stop(step: int) -> bool:
        seen.append(step)
        return step >= 4

    cfg = PrefConfig(steps=10, batch=8, lr=1e-3, beta0=0.1, retain=1.0)
    assert preference_train(model, pairs, cfg, dpo(0.1), 0, 10, stop, check_every=2) == 4
    assert seen == [2, 4]
    assert preference_train(model, pairs, cfg, dpo(0.1), 0, 3) == 3
