"""The default card figure: one panel per metric that some method measured."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from advfrontier.shared.render import bar_plot


def test_metrics_nobody_measured_get_no_panel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    panels: list[int] = []
    real = plt.subplots

    def spy(nrows: int, ncols: int, **kw):  # type: ignore[no-untyped-def]
        panels.append(ncols)
        return real(nrows, ncols, **kw)

    monkeypatch.setattr(plt, "subplots", spy)
    stat = {"mean": 1.0, "std": 0.1}
    result = {
        "paper": "x",
        "scale": "real",
        "seeds": [0, 1, 2],
        "methods": ["a", "b"],
        "columns": ["acc", "gcg_asr", "ppl"],  # gcg_asr is not measured at this scale
        "summary": {"a/acc": stat, "b/acc": stat, "b/ppl": stat},
    }
    assert bar_plot(result, tmp_path / "f.png").exists()
    assert panels == [2]
