"""What a paper is to the runner: a name, a citation, a claim, three configs and a run function.

A paper package exposes one :class:`Paper` object and registers it under the entry-point group
``advfrontier.papers``; see :mod:`advfrontier.shared.registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from advfrontier.shared.claims import Claim, Fact
from advfrontier.shared.config import REQUIRED_SCALES, SCALES, RunConfig

Metrics = dict[str, float]
"""Flat metrics of one seed, keyed ``"<method>/<metric>"`` (e.g. ``"pgd_at/pgd20_acc"``)."""


@dataclass(frozen=True)
class Reported:
    """A number the paper reports, with where it comes from. Shown beside ours, never mixed in."""

    method: str
    metric: str
    value: float
    source: str
    """Where in the paper, e.g. "Table 2 (CIFAR-10, PreActResNet-18)"."""
    setting: str = ""
    """The paper's setting when it differs from our scale (data set, model)."""


@dataclass(frozen=True)
class Paper:
    """A reproducible paper."""

    slug: str
    title: str
    citation: str
    claim: str
    """The paper's claim in one or two sentences."""
    configs: Mapping[str, RunConfig]
    """One config per scale: smoke, mini, paper, and ``real`` where the paper has one."""
    run: Callable[[Any, int], Metrics]
    """``run(config, seed) -> metrics`` for one seed."""
    claims: Sequence[Claim] = ()
    """Claims judged on the paired per-seed numbers (held / inconclusive / contradicted)."""
    facts: Sequence[Fact] = ()
    """Numbers that cannot fail (parameter counts, bytes): shown in their own table, never judged."""
    no_real: str = ""
    """Why the paper has no ``real`` scale (shown when one asks for it); empty when it has one."""
    python_data: str = ""
    """Why the paper's data depend on the CPython patch release (e.g. text from ``pydoc_data``); empty when
    they do not. ``check`` then re-runs only on the Python that made the committed card, and says so."""
    reported: Sequence[Reported] = ()
    tolerances: Mapping[str, float] = field(default_factory=dict)
    """Absolute diff tolerances per metric; keys are fnmatch patterns ("*/clean_acc")."""
    default_tolerance: float = 5e-3
    methods: Sequence[str] = ()
    """Row order of the table; default: as the metrics first name them."""
    columns: Sequence[str] = ()
    """Column order of the table; default: as the metrics first name them."""
    plot: Callable[[Mapping[str, Any], str], None] | None = None
    """Optional ``plot(result, png_path)`` drawing a figure from a result dict."""
    notes: str = ""
    """Shown under the table: what the miniature is and what it is not."""

    def __post_init__(self) -> None:
        missing = [s for s in REQUIRED_SCALES if s not in self.configs]
        if missing:
            raise ValueError(f"paper {self.slug!r} has no config for scale(s) {missing}")
        for scale, cfg in self.configs.items():
            if cfg.scale != scale:
                raise ValueError(f"paper {self.slug!r}: config for {scale!r} says scale={cfg.scale!r}")

    def config(self, scale: str) -> RunConfig:
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r}; expected one of {SCALES}")
        if scale not in self.configs:
            why = self.no_real or "it has not been built yet"
            raise ValueError(f"{self.slug} has no {scale!r} scale: {why}")
        return self.configs[scale]

    @property
    def scales(self) -> tuple[str, ...]:
        return tuple(s for s in SCALES if s in self.configs)
