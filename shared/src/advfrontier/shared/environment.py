"""The environment a result was produced in: versions, threads, device, git commit, lock hash."""

from __future__ import annotations

import hashlib
import platform
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distributions, version
from pathlib import Path
from typing import Any

_LIBS = ("torch", "numpy", "scikit-learn", "scipy", "transformers", "pennylane", "stanza", "torch-geometric")


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _device_name(device: str) -> str:
    if device == "cpu":
        return "cpu"
    import torch

    return f"{device} ({torch.cuda.get_device_name(0)})" if torch.cuda.is_available() else device


def _root_above(here: Path) -> Path | None:
    for d in (here, *here.parents):
        if (d / "uv.lock").exists() and (d / "pyproject.toml").exists() and (d / "shared").is_dir():
            return d
    return None


def repo_root(start: Path | None = None) -> Path | None:
    """The repo checkout (the folder holding ``uv.lock``) above ``start``, else above the installed
    package (an editable install from a checkout), if any."""
    return _root_above((start or Path.cwd()).resolve()) or _root_above(Path(__file__).resolve().parent)


def expected_dir(slug: str) -> Path | None:
    """Where a paper's committed results live in the repo (``packages/<slug>/results``)."""
    root = repo_root()
    if root is None:
        return None
    return root / ("shared" if slug == "baselines" else f"packages/{slug}") / "results"


def git_commit(root: Path | None) -> str:
    if root is None:
        return "unknown"
    try:
        sha = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (sha or "unknown") + ("+dirty" if dirty else "")


def _portable(arg: str, root: Path | None) -> str:
    """No absolute paths of this machine in a card: relative to the repo, else the file name alone."""
    if not arg.startswith("/") and "=/" not in arg:
        return arg
    key, eq, value = arg.rpartition("=") if "=/" in arg else ("", "", arg)
    p = Path(value)
    try:
        short = p.resolve().relative_to(root).as_posix() if root else p.name
    except ValueError:
        short = f"…/{p.name}"
    return f"{key}{eq}{short}"


def portable_path(path: str) -> str:
    """``path`` relative to the repo checkout, else its last component."""
    return _portable(path, repo_root())


def is_dirty(commit: str) -> bool:
    return commit.endswith("+dirty")


def cpu_signature() -> str:
    """CPU vendor and the kernel set torch dispatches to (e.g. "AuthenticAMD AVX2"): training runs are
    bit-reproducible on one signature, not across them."""
    vendor = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("vendor_id"):
                vendor = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import torch

        return f"{vendor} {torch.backends.cpu.get_cpu_capability()}"
    except (ImportError, AttributeError):  # torch missing or too old: the vendor alone
        return vendor


def capture(threads: int, device: str) -> dict[str, Any]:
    """Everything a reader needs to know to rerun a result."""
    root = repo_root()
    lock = root / "uv.lock" if root else None
    ours = {
        d.metadata["Name"]: d.version
        for d in distributions()
        if (d.metadata["Name"] or "").startswith("advfrontier")
    }
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": cpu_signature(),
        "torch_threads": threads,
        "device": _device_name(device),
        "libraries": {n: v for n in _LIBS if (v := _version(n))},
        "advfrontier_packages": dict(sorted(ours.items())),
        "git_commit": git_commit(root),
        "uv_lock_sha256": hashlib.sha256(lock.read_bytes()).hexdigest() if lock else None,
        "argv": [Path(sys.argv[0]).name, *(_portable(a, root) for a in sys.argv[1:])] if sys.argv else [],
    }
