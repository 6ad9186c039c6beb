"""The simplex ETF and R_ETF against their definitions."""

import pytest
import torch

from advfrontier.mcat.etf import etf_gram, etf_penalty, simplex_etf


@pytest.mark.parametrize(("classes", "dim"), [(10, 64), (5, 4), (3, 7)])
def test_simplex_etf_properties(classes: int, dim: int) -> None:
    m = simplex_etf(classes, dim, seed=1).double()
    assert m.shape == (classes, dim)
    torch.testing.assert_close(m.norm(dim=1), torch.ones(classes, dtype=torch.float64), atol=1e-5, rtol=0)
    off = (m @ m.T)[~torch.eye(classes, dtype=torch.bool)]
    torch.testing.assert_close(off, torch.full_like(off, -1 / (classes - 1)), atol=1e-5, rtol=0)
    torch.testing.assert_close(m.sum(0), torch.zeros(dim, dtype=torch.float64), atol=1e-5, rtol=0)
    torch.testing.assert_close(m @ m.T, etf_gram(classes).double(), atol=1e-5, rtol=0)


def test_etf_needs_enough_dimensions() -> None:
    with pytest.raises(ValueError, match="dim >= 9"):
        simplex_etf(10, 8)


def test_penalty_zero_on_etf_and_scale_invariant() -> None:
    m = simplex_etf(6, 12)
    scaled = m * torch.linspace(0.5, 3.0, 6)[:, None]
    assert float(etf_penalty(scaled)) < 1e-10
    w = torch.randn(6, 12)
    assert float(etf_penalty(w)) > 1e-3


def test_penalty_closed_form() -> None:
    w = torch.randn(4, 5, dtype=torch.float64)
    wn = w / w.norm(dim=1, keepdim=True)
    t = torch.full((4, 4), -1 / 3, dtype=torch.float64).fill_diagonal_(1.0)
    expected = sum(float((wn[i] @ wn[j] - t[i, j]) ** 2) for i in range(4) for j in range(4)) / 16
    assert float(etf_penalty(w)) == pytest.approx(expected, rel=1e-12)


def test_descent_on_penalty_reaches_the_etf_gram() -> None:
    w = torch.randn(5, 8, requires_grad=True)
    opt = torch.optim.SGD([w], lr=2.0)
    for _ in range(3000):
        opt.zero_grad()
        etf_penalty(w).backward()
        opt.step()
    wn = w.detach() / w.detach().norm(dim=1, keepdim=True)
    torch.testing.assert_close(wn @ wn.T, etf_gram(5), atol=1e-3, rtol=0)
