"""The --max-steps helpers that hand-written training loops use."""

from __future__ import annotations

import pytest

from advfrontier.shared import engine


def test_budget_helpers_follow_set_max_steps() -> None:
    assert not engine.budget_reached(10**9) and engine.capped(50) == 50  # no budget: no limit
    engine.set_max_steps(2)
    try:
        assert [engine.budget_reached(n) for n in range(4)] == [False, False, True, True]
        assert (engine.capped(50), engine.capped(1)) == (2, 1)
    finally:
        engine.set_max_steps(None)
    assert not engine.budget_reached(2)


def test_set_max_steps_refuses_a_non_positive_budget() -> None:
    with pytest.raises(ValueError, match="max-steps"):
        engine.set_max_steps(0)
