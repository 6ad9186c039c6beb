"""Papers register through the ``advfrontier.papers`` entry-point group; this module finds them.

The shared package never imports a paper package by name: ``pip install ./packages/<slug>``
adds an entry point, and :func:`load_paper` loads it.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from advfrontier.shared.paper import Paper

GROUP = "advfrontier.papers"

KNOWN_SLUGS: tuple[str, ...] = (
    "warden", "raat", "uatmc", "vacai", "localalign", "mcat",
    "fight_poison", "mpib", "qae", "mfg", "diffusion_reward", "frechet_loss",
)  # fmt: skip
"""The twelve papers of the project (plus ``baselines`` from this package)."""


class PaperNotInstalledError(LookupError):
    """The slug names no installed paper package."""


def available() -> list[str]:
    """Slugs of installed papers, sorted."""
    return sorted({ep.name for ep in entry_points(group=GROUP)})


def summaries() -> dict[str, str]:
    """Slug → one-line description of its distribution, read from metadata (nothing is imported)."""
    out = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        dist = getattr(ep, "dist", None)
        out[ep.name] = (dist.metadata.get("Summary") if dist is not None else None) or ""
    return out


def load_paper(slug: str) -> Paper:
    """Load the registered :class:`Paper` for ``slug``."""
    eps = [ep for ep in entry_points(group=GROUP) if ep.name == slug]
    if not eps:
        hint = (
            f"'{slug}' is one of the project's papers but its package is not installed or not written yet "
            f"(expected packages/{slug}); run `uv sync` or `pip install ./shared ./packages/{slug}`"
            if slug in KNOWN_SLUGS
            else f"unknown paper '{slug}'"
        )
        raise PaperNotInstalledError(f"{hint}. Installed: {', '.join(available()) or 'none'}")
    paper = eps[0].load()
    if not isinstance(paper, Paper):
        raise TypeError(f"entry point {slug!r} gave {type(paper).__name__}, not a Paper")
    return paper
