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


def test_clean_retain_set_is_uninjected_and_trains_its_answers() -> None:
    from advfrontier.localalign.pairs import clean_sft
    from advfrontier.localalign.seqs import pack, sequence_logp
    from advfrontier.localalign.task import ALL_INSTRUCTIONS, FAR_VERBS, NEAR_OPS, decode

    keep = clean_sft(digit_splits()["train"], 16, random.Random(0))
    names = {i.tokens[0] for i in ALL_INSTRUCTIONS} | set(NEAR_OPS) | set(FAR_VERBS)
    for p in keep:  # exactly one instruction in the prompt: nothing injected into the data
        assert sum(t in names for t in decode(p.prompt)) == 1 and p.rejected == []

    torch.manual_seed(0)
    model = TinyLM(len(VOCAB), d=16, layers=1, heads=2, ff=32)
    pairs = far_pairs(digit_splits()["train"], 16, random.Random(0), 0.1)
    ids, mask = pack([p.prompt for p in keep], [p.chosen for p in keep])
    with torch.no_grad():
        before = float(sequence_logp(model, ids, mask).mean())
    cfg = PrefConfig(steps=30, batch=8, lr=3e-3, beta0=0.1, retain=1.0)
    zero = lambda pw, pl, rw, rl: 0.0 * (pw - pl).mean()  # noqa: E731  (only the retain term acts)
    preference_train(model, pairs, cfg, zero, 0, 30, retain_set=keep)
    model.eval()
    with torch.no_grad():
        assert float(sequence_logp(model, ids, mask).mean()) > before + 1.0
