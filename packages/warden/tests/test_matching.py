"""The matched-over-refusal selection: which swept point each method keeps."""

from __future__ import annotations

from dataclasses import replace

from advfrontier.warden.config import MINI
from advfrontier.warden.mini import knob_grid, select_point


def test_select_point_takes_lowest_asr_under_the_over_refusal_level() -> None:
    over_refusal = [30.0, 12.0, 5.0, 14.0]
    worst_asr = [1.0, 8.0, 20.0, 6.0]
    assert select_point(over_refusal, worst_asr, 15.0) == 3  # 30 % refuses too much despite ASR 1
    assert select_point(over_refusal, worst_asr, 100.0) == 0
    assert select_point(over_refusal, worst_asr, 4.0) == 2  # none qualifies: the least over-refusing
    assert select_point([10.0, 8.0], [5.0, 5.0], 15.0) == 1  # ties go to the lower over-refusal


def test_knob_grid_names_the_swept_field() -> None:
    assert knob_grid("cat", MINI) == ("w_util", MINI.cat_grid)
    assert knob_grid("warden_kl", MINI) == ("kl_eps", MINI.kl_grid)
    assert knob_grid("warden_chi2", replace(MINI, chi2_grid=())) == ("chi2_rho", (MINI.chi2_rho,))
