"""AutoDAN-GA on toy scores whose optimum is known: the operators keep what they must, the search finds it."""

import random
from collections import Counter

import pytest

from advfrontier.shared.attacks.autodan import autodan, crossover, next_generation, roulette


def _bad(text: str) -> float:
    """Toy loss: how many sentences say no."""
    return float(text.count("No."))


def test_crossover_recombines_whole_sentences_paragraph_by_paragraph() -> None:
    a = "One. Two. Three. Four.\n\nA1. A2."
    b = "Uno. Dos. Tres. Cuatro.\n\nB1. B2. B3."
    rng = random.Random(0)
    seen = set()
    for _ in range(50):
        c, d = crossover(a, b, points=2, rng=rng)
        assert c.count("\n\n") == d.count("\n\n") == 1
        for (pc, pd), (pa, pb) in zip(
            zip(c.split("\n\n"), d.split("\n\n"), strict=True),
            zip(a.split("\n\n"), b.split("\n\n"), strict=True),
            strict=True,
        ):
            # position k of the two children holds the two parents' sentences k, in some order
            sa, sb = pa.split(" "), pb.split(" ")
            for k, (x, y) in enumerate(zip(pc.split(" "), pd.split(" "), strict=False)):
                assert {x, y} == {sa[k], sb[k]}
            assert Counter(pc.split(" ")) + Counter(pd.split(" ")) <= Counter(sa) + Counter(sb)
        seen.add(c)
    assert len(seen) > 2  # the cut points and sides are drawn


def test_roulette_prefers_low_loss_and_next_generation_keeps_the_elites() -> None:
    rng = random.Random(0)
    draws = Counter(roulette([0.0, 5.0], 2000, rng))
    assert draws[0] > 0.95 * 2000
    pop = [f"p{i}. x." for i in range(20)]
    losses = [float(i) for i in range(20)]
    nxt = next_generation(pop, losses, rng, elite_frac=0.1, crossover_p=0.0, mutation_p=0.0)
    assert len(nxt) == 20 and nxt[:2] == ["p0. x.", "p1. x."]
    mutated = next_generation(pop, losses, rng, elite_frac=0.1, mutation_p=1.0, mutate=str.upper)
    assert mutated[:2] == ["p0. x.", "p1. x."] and all(m.isupper() for m in mutated[2:])


def test_search_combines_references_into_a_better_prompt_and_stops_on_success() -> None:
    # every reference has one "No." sentence, at a different position: only crossover reaches loss 0
    refs = [" ".join("No." if j == i else f"Yes{j}." for j in range(4)) for i in range(4)]
    res = autodan(lambda pop: [_bad(p) for p in pop], refs, population=16, steps=30, seed=0)
    assert res.losses[0] == 1.0 and res.loss == 0.0 and "No." not in res.prompt
    assert all(x >= y for x, y in zip(res.losses, res.losses[1:], strict=False))  # the best never worsens
    calls: list[str] = []
    early = autodan(
        lambda pop: [_bad(p) for p in pop],
        refs,
        population=16,
        steps=30,
        seed=0,
        success=lambda p: calls.append(p) or _bad(p) == 0,
        check_every=2,
    )
    assert early.success and len(early.losses) < 30 and len(early.losses) % 2 == 0
    with pytest.raises(ValueError, match="reference"):
        autodan(lambda pop: [0.0] * len(pop), [], population=4, steps=1)
