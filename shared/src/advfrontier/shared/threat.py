"""Threat models as values: a norm and a budget ε written exactly, e.g. ``Linf 8/255``.

Inputs live in [0, 1]; ε is measured in that scale. Results always print ε in the written form
that was given (``8/255``), never as a rounded float, so one run cannot say 0.031 and another 8/255.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Norm = Literal["Linf", "L2"]
NORMS: tuple[str, ...] = ("Linf", "L2")


def _parse_number(text: str) -> Fraction:
    text = text.strip()
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError) as err:
        raise ValueError(
            f"cannot read budget {text!r}: write it as a number or a fraction like 8/255"
        ) from err


@dataclass(frozen=True)
class ThreatModel:
    """A perturbation set {x' : ||x' - x||_norm <= eps, x' in [0,1]^d}."""

    norm: Norm
    eps_text: str
    """ε as written, e.g. ``"8/255"`` or ``"0.1"``."""

    def __post_init__(self) -> None:
        if self.norm not in NORMS:
            raise ValueError(f"unknown norm {self.norm!r}; expected one of {NORMS}")
        if _parse_number(self.eps_text) < 0:
            raise ValueError(f"ε must be non-negative, got {self.eps_text}")

    @property
    def eps(self) -> float:
        """ε as a float, for arithmetic."""
        return float(_parse_number(self.eps_text))

    @staticmethod
    def fraction(value: str | float) -> float:
        """A step size or other budget written like ε (``"2/255"``), or already a number, as a float."""
        return float(value) if isinstance(value, int | float) else float(_parse_number(value))

    def __str__(self) -> str:
        return f"{self.norm} {self.eps_text}"

    @classmethod
    def parse(cls, text: str) -> ThreatModel:
        """Read ``"Linf 8/255"``, ``"Linf:8/255"`` or ``"L2 0.5"``."""
        parts = text.replace(":", " ").split()
        if len(parts) != 2:
            raise ValueError(f"cannot read threat model {text!r}: expected e.g. 'Linf 8/255' or 'L2 0.5'")
        norm = {"linf": "Linf", "l2": "L2"}.get(parts[0].lower())
        if norm is None:
            raise ValueError(f"unknown norm {parts[0]!r} in {text!r}; expected one of {NORMS}")
        return cls(norm, parts[1])  # type: ignore[arg-type]


def linf(eps_text: str) -> ThreatModel:
    """L∞ threat model with ε written as given."""
    return ThreatModel("Linf", eps_text)


def l2(eps_text: str) -> ThreatModel:
    """L2 threat model with ε written as given."""
    return ThreatModel("L2", eps_text)
