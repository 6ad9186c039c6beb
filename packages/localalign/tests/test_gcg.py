"""GCG keeps the best suffix found: its target loss never rises above the starting suffix's."""

import torch

from advfrontier.localalign.gcg import _target_loss, gcg
from advfrontier.localalign.model import TinyLM
from advfrontier.localalign.seqs import pack
from advfrontier.localalign.task import AST, EOS, TOK, VOCAB, encode, op, prompt


def test_gcg_never_raises_the_target_loss() -> None:
    torch.manual_seed(0)
    model = TinyLM(len(VOCAB), d=16, layers=1, heads=2, ff=32)
    data = [("1", "2", "3", "4"), ("9", "8", "7", "6"), ("0", "5", "5", "1")]
    prefixes = [encode(prompt(op("COPY"), [*d, "FIRST"]))[:-1] for d in data]
    targets = [[*encode(op("FIRST").answer(d)), EOS] for d in data]
    k = 3
    start = [[*p, *[TOK["the"]] * k, AST] for p in prefixes]
    with torch.no_grad():
        ids, mask = pack(start, targets)
        before = _target_loss(model, ids, mask)
    done, after = gcg(
        model,
        prefixes,
        targets,
        lambda i, a: False,
        suffix_len=k,
        steps=6,
        topk=4,
        candidates=8,
        generator=torch.Generator().manual_seed(0),
    )
    assert done == [False] * 3
    assert bool((after <= before + 1e-5).all())
    assert bool((after < before - 1e-4).any())  # and it does find something better
    assert all(p.requires_grad for p in model.parameters())  # the model is handed back trainable
