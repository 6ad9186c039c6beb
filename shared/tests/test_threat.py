from fractions import Fraction

import pytest

from advfrontier.shared.threat import ThreatModel, l2, linf


def test_parse_and_print_keep_the_written_budget() -> None:
    t = ThreatModel.parse("Linf:8/255")
    assert t.norm == "Linf" and str(t) == "Linf 8/255"
    assert t.eps == pytest.approx(8 / 255)
    assert ThreatModel.parse("l2 0.5") == l2("0.5")
    assert linf("8/255").fraction("2/255") == float(Fraction(2, 255))


@pytest.mark.parametrize(
    ("text", "message"),
    [("Linf", "expected e.g."), ("L1 0.3", "unknown norm"), ("Linf 8/zero", "cannot read budget")],
)
def test_bad_threat_models_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ThreatModel.parse(text)


def test_negative_budget_rejected() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        linf("-1/255")
