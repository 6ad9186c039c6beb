"""Every member imports only what it declares, and no paper imports another paper."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = [
    ROOT / "shared",
    *sorted(p for p in (ROOT / "packages").iterdir() if (p / "pyproject.toml").exists()),
]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imports(src: Path) -> set[str]:
    names: set[str] = set()
    for f in src.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(), str(f))):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return names


@pytest.mark.parametrize("member", MEMBERS, ids=lambda p: p.name)
def test_member_declares_what_it_imports(member: Path) -> None:
    meta = tomllib.loads((member / "pyproject.toml").read_text())["project"]
    optional = [d for extra in meta.get("optional-dependencies", {}).values() for d in extra]
    declared = {
        _norm(re.split(r"[ <>=!~;\[]", d, maxsplit=1)[0]) for d in [*meta.get("dependencies", []), *optional]
    }
    own = member.name
    dists = packages_distributions()
    missing, cross = [], []
    for name in sorted(_imports(member / "src")):
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top == "__future__":
            continue
        if top == "advfrontier":
            sub = name.split(".")[1] if "." in name else ""
            if sub not in ("shared", own):
                cross.append(name)
            continue
        if not {_norm(d) for d in dists.get(top, [top])} & declared:
            missing.append(top) if top not in missing else None
    assert not cross, f"{member.name} imports another paper: {cross}"
    assert not missing, f"{member.name} imports undeclared {sorted(set(missing))}; add them to its pyproject"
