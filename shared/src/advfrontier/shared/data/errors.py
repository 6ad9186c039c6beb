"""Where real data lives, and the error raised when it is not there."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "ADVFRONTIER_DATA"


class DataNotFoundError(FileNotFoundError):
    """A real data set (or weights) is missing from the local data directory."""


def resolve_data_dir(data_dir: str | Path | None, what: str) -> Path:
    """``data_dir`` if given, else ``$ADVFRONTIER_DATA``; raise a clear error if neither is set."""
    chosen = data_dir if data_dir is not None else os.environ.get(ENV_VAR)
    if not chosen:
        raise DataNotFoundError(
            f"{what} needs a local data directory: pass --data-dir DIR or set {ENV_VAR}=DIR "
            "(nothing is downloaded at run time)"
        )
    path = Path(chosen).expanduser()
    if not path.is_dir():
        raise DataNotFoundError(f"data directory {path} (for {what}) does not exist")
    return path


def require(path: Path, what: str, source: str, layout: str) -> Path:
    """Return ``path`` or raise naming the file, where to get it, and the layout expected."""
    if not path.exists():
        raise DataNotFoundError(
            f"{what}: missing {path}.\n  Get it from {source}\n  and place it so that {layout}"
        )
    return path
