"""The miniature's corpus comes from CPython's pydoc topics, which change between patch releases: `check`
must not call that drift, and must still re-run on the card's own Python."""

from __future__ import annotations

import platform

from advfrontier.shared import cli
from advfrontier.shared.registry import load_paper


def test_check_does_not_rerun_on_another_python(tmp_path, monkeypatch) -> None:
    assert "pydoc" in load_paper("fight_poison").python_data
    monkeypatch.setattr(platform, "python_version", lambda: "0.0.0")
    _, ok, text = cli._check_one("fight_poison", "smoke", str(tmp_path))
    assert ok and text.startswith("not re-run") and "0.0.0" in text
    assert not any(tmp_path.iterdir())  # nothing was run
