"""AutoDAN-GA (Liu et al., ICLR 2024): a genetic search over whole jailbreak prompts.

A population of prompt templates (initially a reference set of hand-written jailbreaks) is scored by the
target's loss (the attacked model's cross-entropy of the harmful target after the filled-in prompt; lower
is fitter). Each generation keeps the ``elite_frac`` fittest unchanged, draws the rest as parents by a
roulette wheel on softmax(−loss), recombines pairs with probability ``crossover_p`` by a multi-point
crossover at sentence boundaries inside each paragraph, and rewrites each child with probability
``mutation_p`` by ``mutate`` (an LLM paraphrase in the paper; none: no mutation). ``success(prompt)`` is
asked every ``check_every`` generations and ends the search early. The hierarchical variant (HGA, with a
word-level momentum step between paragraph-level generations) is not implemented.

No kept library offers AutoDAN for a local Hugging Face model (HarmBench and the authors' code are
research scripts, not packages), so it is written here; it only needs a scoring function.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_SENTENCE_END = re.compile(r"(?<=[,.!?])\s+")


@dataclass
class AutoDANResult:
    """The fittest prompt found, its loss, the best loss after each generation, and whether ``success``
    fired."""

    prompt: str
    loss: float
    losses: list[float] = field(default_factory=list)
    success: bool = False


def _sentences(text: str) -> list[list[str]]:
    return [_SENTENCE_END.split(p) for p in text.split("\n\n")]


def crossover(a: str, b: str, points: int, rng: random.Random) -> tuple[str, str]:
    """Two children of ``a`` and ``b``: paragraph by paragraph (the shorter parent's count), up to
    ``points`` cut points at sentence boundaries; each segment goes to either child with probability 1/2."""
    kids: tuple[list[str], list[str]] = ([], [])
    for pa, pb in zip(_sentences(a), _sentences(b), strict=False):
        room = min(len(pa), len(pb)) - 1
        cuts = sorted(rng.sample(range(1, room + 1), min(points, room))) if room > 0 else []
        one: list[str] = []
        two: list[str] = []
        for lo, hi in zip([0, *cuts], [*cuts, None], strict=True):
            left, right = (pa[lo:hi], pb[lo:hi]) if rng.random() < 0.5 else (pb[lo:hi], pa[lo:hi])
            one += left
            two += right
        kids[0].append(" ".join(one))
        kids[1].append(" ".join(two))
    return "\n\n".join(kids[0]), "\n\n".join(kids[1])


def roulette(losses: Sequence[float], n: int, rng: random.Random) -> list[int]:
    """``n`` indices drawn with replacement, with probability softmax(−loss)."""
    low = min(losses)
    weights = [math.exp(low - x) for x in losses]
    return rng.choices(range(len(losses)), weights=weights, k=n)


def next_generation(
    population: Sequence[str],
    losses: Sequence[float],
    rng: random.Random,
    *,
    elite_frac: float = 0.05,
    crossover_p: float = 0.5,
    points: int = 5,
    mutation_p: float = 0.01,
    mutate: Callable[[str], str] | None = None,
) -> list[str]:
    """The elites (the ``elite_frac`` share of lowest loss, at least one) and children bred from roulette
    parents, the same size as ``population``."""
    n = len(population)
    order = sorted(range(n), key=lambda i: losses[i])
    elites = [population[i] for i in order[: max(1, int(elite_frac * n))]]
    parents = [population[i] for i in roulette(losses, n - len(elites), rng)]
    children: list[str] = []
    for i in range(0, len(parents), 2):
        a, b = parents[i], parents[(i + 1) % len(parents)]
        children += crossover(a, b, points, rng) if rng.random() < crossover_p else (a, b)
    if mutate is not None:
        children = [mutate(c) if rng.random() < mutation_p else c for c in children]
    return elites + children[: n - len(elites)]


def autodan(
    score: Callable[[list[str]], Sequence[float]],
    references: Sequence[str],
    *,
    population: int = 64,
    steps: int = 100,
    success: Callable[[str], bool] | None = None,
    check_every: int = 5,
    seed: int = 0,
    **breeding: float | int | Callable[[str], str] | None,
) -> AutoDANResult:
    """Search prompt templates that lower ``score`` (one loss per template), starting from the first
    ``population`` ``references`` (repeated when there are fewer). ``breeding`` goes to
    :func:`next_generation` (elite_frac, crossover_p, points, mutation_p, mutate)."""
    if not references:
        raise ValueError("AutoDAN needs at least one reference prompt")
    if population < 2 or steps < 1:
        raise ValueError(f"population must be ≥ 2 and steps ≥ 1, got {population} and {steps}")
    rng = random.Random(seed)
    pop = [references[i % len(references)] for i in range(population)]
    best, best_loss, history = pop[0], math.inf, []
    for step in range(steps):
        losses = [float(x) for x in score(pop)]
        i = min(range(len(pop)), key=lambda k: losses[k])
        if losses[i] < best_loss:
            best, best_loss = pop[i], losses[i]
        history.append(best_loss)
        last = step + 1 == steps
        if success is not None and ((step + 1) % check_every == 0 or last) and success(best):
            return AutoDANResult(best, best_loss, history, True)
        if not last:
            pop = next_generation(pop, losses, rng, **breeding)  # type: ignore[arg-type]
    return AutoDANResult(best, best_loss, history, False)
