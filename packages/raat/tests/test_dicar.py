import math

import pytest
import torch
from scipy import integrate
from scipy.spatial.distance import jensenshannon
from scipy.stats import beta as beta_dist

from advfrontier.raat.dicar import both_views_correct, dicar_loss, js_divergence, mixing_coefficient
from advfrontier.shared.models.small_cnn import SmallCNN


def test_js_matches_scipy_and_is_symmetric() -> None:
    a, b = torch.randn(16, 7, dtype=torch.float64), torch.randn(16, 7, dtype=torch.float64)
    T = 0.5
    pa, pb = torch.softmax(a / T, 1).numpy(), torch.softmax(b / T, 1).numpy()
    reference = sum(jensenshannon(p, q) ** 2 for p, q in zip(pa, pb, strict=True)) / len(pa)
    assert float(js_divergence(a, b, T)) == pytest.approx(reference, rel=1e-6)
    assert float(js_divergence(a, b, T)) == pytest.approx(float(js_divergence(b, a, T)), rel=1e-12)


def test_js_is_zero_on_equal_inputs_and_at_most_log2() -> None:
    a = torch.randn(8, 10)
    assert float(js_divergence(a, a, 0.5)) == pytest.approx(0.0, abs=1e-6)
    far = torch.tensor([[50.0, -50.0]]), torch.tensor([[-50.0, 50.0]])
    assert float(js_divergence(*far, 1.0)) == pytest.approx(math.log(2), rel=1e-4)
    assert float(js_divergence(torch.randn(8, 10), torch.randn(8, 10), 0.1)) <= math.log(2) + 1e-6


def test_temperature_divides_the_logits() -> None:
    a, b = torch.randn(4, 5), torch.randn(4, 5)
    assert float(js_divergence(a, b, 0.5)) == pytest.approx(float(js_divergence(a / 0.5, b / 0.5, 1.0)))


def test_mixing_coefficient_is_the_larger_of_a_beta_pair() -> None:
    draws = torch.tensor([mixing_coefficient(0.75) for _ in range(4000)])
    assert bool((draws >= 0.5).all()) and bool((draws <= 1.0).all())
    # E[max(λ, 1 − λ)] for λ ~ Beta(0.75, 0.75), by quadrature
    expected = integrate.quad(lambda t: max(t, 1 - t) * beta_dist.pdf(t, 0.75, 0.75), 0, 1, points=[0.5])[0]
    assert float(draws.mean()) == pytest.approx(expected, abs=0.01)
    with pytest.raises(ValueError, match="Beta"):
        mixing_coefficient(0.0)


def test_index_set_needs_both_views_correct() -> None:
    right = torch.tensor([True, True, False, False, True, True])  # view 1: ✓✓✗, view 2: ✗✓✓
    assert both_views_correct(right).tolist() == [False, True, False]


def test_dicar_vanishes_for_an_affine_model_without_perturbation(linear_model) -> None:
    # f(m·x¹ + (1−m)·x²) = m·f(x¹) + (1−m)·f(x²) when f is affine, so JS = 0 when x_adv = x
    x = torch.rand(12, 2, 4, 4)
    keep = torch.ones(6, dtype=torch.bool)
    loss = dicar_loss(linear_model, x, linear_model(x), keep, m=0.7, temperature=0.5, weight=1.0)
    assert float(loss.detach()) == pytest.approx(0.0, abs=1e-6)
    x_adv = (x + 0.2 * torch.randn_like(x)).clamp(0, 1)
    assert float(dicar_loss(linear_model, x_adv, linear_model(x), keep, 0.7, 0.5, 1.0).detach()) > 1e-5


def test_dicar_weight_scales_and_gradient_reaches_the_clean_logits() -> None:
    model = SmallCNN()
    x = torch.rand(8, 1, 8, 8)
    x_adv = (x + 0.1 * torch.randn_like(x).sign()).clamp(0, 1)
    keep = torch.tensor([True, False, True, True])
    clean = model(x).detach().requires_grad_(True)
    one = dicar_loss(model, x_adv, clean, keep, 0.6, 0.5, 1.0)
    three = dicar_loss(model, x_adv, clean, keep, 0.6, 0.5, 3.0)
    assert float(three.detach()) == pytest.approx(3 * float(one.detach()), rel=1e-5)
    (g,) = torch.autograd.grad(one, clean)
    assert float(g[[1, 5]].abs().sum()) == 0.0  # example 1 of both views is left out of I
    assert float(g[[0, 4]].abs().sum()) > 0.0  # the mixed logits are not detached (released code)
    none = torch.zeros(4, dtype=torch.bool)
    assert float(dicar_loss(model, x_adv, clean, none, 0.6, 0.5, 1.0).detach()) == 0.0
