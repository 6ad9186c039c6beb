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
    if path.exists() and not path.is_dir():
        raise DataNotFoundError(f"data directory {path} (for {what}) is a file, not a folder")
    return path  # a missing folder is reported by the reader with every file it needs (require_all)


def require(path: Path, what: str, source: str, layout: str) -> Path:
    """Return ``path`` or raise naming the file, where to get it, and the layout expected."""
    return require_all([path], what, source, layout)[0]


def require_all(paths: list[Path], what: str, source: str, layout: str) -> list[Path]:
    """Return ``paths`` or raise naming every missing one at once, where to get them and the layout."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        parent = missing[0].parent
        where = "" if parent.exists() else f" (the folder {parent} does not exist)"
        if len(missing) == 1:
            raise DataNotFoundError(
                f"{what}: missing {missing[0]}{where}.\n  Get it from {source}\n"
                f"  and place it so that {layout}"
            )
        names = "\n    ".join(str(p) for p in missing)
        raise DataNotFoundError(
            f"{what}: {len(missing)} file(s) missing{where}:\n    {names}\n  Get them from {source}\n"
            f"  and place them so that {layout}"
        )
    return paths
