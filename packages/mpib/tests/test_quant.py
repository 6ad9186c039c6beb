"""The INT4 quantiser, its straight-through gradients, FP16 rounding and INT4 packing vs their definitions."""

import math

import numpy as np
import pytest
import torch

from advfrontier.mpib.quant import (
    distinct_codes,
    fp16_ste,
    grad_scale,
    int_codes,
    int_range,
    pack_int4,
    quantize_ste,
    saturation,
    unpack_int4,
)


def test_int4_range_and_levels_are_the_nearest_of_sixteen():
    assert int_range(4) == (-8, 7)
    s = torch.tensor(0.37)
    x = torch.linspace(-5.0, 5.0, 1001)
    q = quantize_ste(x, s, 4)
    levels = s * torch.arange(-8, 8, dtype=torch.float32)  # the 16 representable values
    nearest = levels[(x[:, None] - levels[None, :]).abs().argmin(1)]
    assert torch.allclose(q, nearest, atol=1e-6)
    assert len(torch.unique(q)) == 16
    assert q.min() == -8 * s and q.max() == 7 * s  # saturates at the two's-complement ends


def test_codes_match_fake_quantised_values():
    x, s = torch.randn(200) * 2, torch.tensor(0.21)
    assert torch.allclose(int_codes(x, s, 4).float() * s, quantize_ste(x, s, 4), atol=1e-6)


def test_straight_through_gradient_is_one_inside_zero_outside():
    s = torch.tensor(0.5)
    x = torch.tensor([-6.0, -3.9, -1.26, 0.0, 0.74, 3.4, 3.6, 9.0], requires_grad=True)
    quantize_ste(x, s, 4).sum().backward()
    inside = (x.detach() / s >= -8) & (x.detach() / s <= 7)
    assert torch.equal(x.grad, inside.float())


def test_learned_scale_gradient_is_lsq():
    x = torch.tensor([-6.0, -1.26, 0.3, 0.74, 3.6, 9.0])
    s = torch.tensor(0.5, requires_grad=True)
    quantize_ste(x, s, 4).sum().backward()
    r = x / 0.5
    expected = torch.where(r < -8, -8.0, torch.where(r > 7, 7.0, torch.round(r) - r)).sum()
    assert math.isclose(s.grad.item(), expected.item(), abs_tol=1e-5)


def test_fp16_rounding_is_within_half_an_ulp_and_passes_gradient():
    x = (torch.randn(5000) * torch.logspace(-3, 3, 5000)).requires_grad_()
    y = fp16_ste(x)
    xd = x.detach().double()
    ulp = torch.pow(2.0, torch.floor(torch.log2(xd.abs())).clamp_min(-14) - 10)  # subnormals below 2^-14
    assert torch.all((y.detach().double() - xd).abs() <= ulp / 2 + 1e-12)
    assert np.array_equal(y.detach().numpy().astype(np.float16).astype(np.float32), y.detach().numpy())
    y.sum().backward()
    assert torch.equal(x.grad, torch.ones_like(x))


@pytest.mark.parametrize("n", [1, 7, 32])
def test_int4_packing_round_trips_in_half_a_byte(n):
    codes = torch.randint(-8, 8, (n,), dtype=torch.int8)
    data = pack_int4(codes)
    assert len(data) == (n + 1) // 2
    assert torch.equal(unpack_int4(data, n), codes)


def test_int4_packing_rejects_out_of_range():
    with pytest.raises(ValueError, match="INT4"):
        pack_int4(torch.tensor([8], dtype=torch.int8))


def test_grad_scale_is_identity_forward_and_scales_the_gradient():
    s = torch.tensor([0.5, 2.0], requires_grad=True)
    y = grad_scale(s, 0.25)
    assert torch.equal(y, s.detach())
    (y * torch.tensor([1.0, 3.0])).sum().backward()
    assert torch.allclose(s.grad, torch.tensor([0.25, 0.75]))


def test_saturation_and_distinct_codes_count_what_they_say():
    codes = torch.tensor([[-8, 7, 0], [-8, 7, 0], [1, 2, 3], [7, 7, 7]], dtype=torch.int8)
    assert saturation(codes, 4) == pytest.approx(7 / 12)
    assert distinct_codes(codes) == 3
