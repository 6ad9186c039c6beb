"""Install uv into a folder of the repo with nothing but the Python standard library.

For machines without uv where pip is refused (PEP 668, "externally-managed-environment") or absent
(Debian/Ubuntu's python3 without python3-pip/python3-venv): download uv's wheel for this platform from
PyPI's simple index, check its SHA-256 against the index, and unpack the `uv` binary into ``DEST``
(default ``.tools/bin``). No root, no pip, no venv. Usage: ``python3 scripts/bootstrap_uv.py [DEST]``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import stat
import sys
import urllib.request
import zipfile
from pathlib import Path

VERSION = os.environ.get("UV_BOOTSTRAP_VERSION", "0.13.9")
INDEX = os.environ.get("UV_BOOTSTRAP_INDEX", "https://pypi.org/simple")


def platform_tags() -> list[str]:
    machine = platform.machine().lower()
    arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    if sys.platform.startswith("linux"):
        return [f"manylinux_2_17_{arch}", f"manylinux2014_{arch}", f"musllinux_1_1_{arch}"]
    if sys.platform == "darwin":
        return ["macosx_11_0_arm64"] if arch in ("arm64", "aarch64") else ["macosx_10_12_x86_64"]
    raise SystemExit(f"bootstrap_uv: no uv wheel known for {sys.platform}/{machine}; install uv by hand")


def pick_wheel() -> tuple[str, str, str]:
    req = urllib.request.Request(f"{INDEX}/uv/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        files = json.load(r)["files"]
    tags = platform_tags()
    for f in files:
        name = f["filename"]
        if name.startswith(f"uv-{VERSION}-") and name.endswith(".whl") and any(t in name for t in tags):
            return name, f["url"], f["hashes"]["sha256"]
    raise SystemExit(f"bootstrap_uv: no uv {VERSION} wheel for {tags} on {INDEX}")


def main() -> int:
    dest = Path(sys.argv[1] if len(sys.argv) > 1 else ".tools/bin")
    name, url, sha = pick_wheel()
    print(f"bootstrap_uv: downloading {name}", file=sys.stderr, flush=True)
    with urllib.request.urlopen(url, timeout=300) as r:
        blob = r.read()
    if hashlib.sha256(blob).hexdigest() != sha:
        raise SystemExit(f"bootstrap_uv: SHA-256 mismatch for {name}; not installing")
    exe = "uv.exe" if sys.platform == "win32" else "uv"
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        member = next(n for n in z.namelist() if n.endswith(f".data/scripts/{exe}"))
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / exe
        target.write_bytes(z.read(member))
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    print(f"bootstrap_uv: installed {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
