"""Network invariants: test functions in [−1, 1] with the fixed scales, clipped controls, v(T) = g."""

from __future__ import annotations

import torch

from advfrontier.mfg import networks
from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.networks import PolicyNet, ValueNet


def test_test_functions_bounded_with_linspace_scales() -> None:
    rho = networks.TestFunctions(d=4, r=9, c=10.0)
    assert torch.allclose(rho.scales, torch.linspace(1, 10, 9))
    t, z = torch.rand(50, 1), 30 * torch.randn(50, 4)
    out = rho(t, z)
    assert out.shape == (50, 9) and bool((out.abs() <= 1).all())
    # the k-th function is sin(Λ_k ·(w_k·x + b_k))
    z = torch.randn(50, 4)
    out = rho(t, z)
    x = torch.cat([t, z], 1)
    k = 5
    expected = torch.sin(rho.scales[k] * (x @ rho.lin.weight[k] + rho.lin.bias[k]))
    assert torch.allclose(out[:, k], expected, atol=1e-5)
    # the scales are buffers, not trained by the ascent
    assert all(p is not rho.scales for p in rho.parameters())


def test_policy_clipped_and_starts_at_zero() -> None:
    pol = PolicyNet(d=3, width=8, layers=3, bound=0.25)
    t, z = torch.rand(20, 1), torch.randn(20, 3)
    assert torch.equal(pol(t, z), torch.zeros(20, 3))
    with torch.no_grad():
        pol.net[-1].bias.fill_(3.0)
    assert torch.allclose(pol(t, z), torch.full((20, 3), 0.25))


def test_value_is_terminal_cost_at_horizon() -> None:
    p = LQProblem(d=3, target=0.5)
    v = ValueNet(d=3, width=8, layers=3)
    t, z = torch.ones(10, 1), torch.randn(10, 3)
    at_end = torch.tensor([True, False] * 5)
    out = v.value(p, t, z, at_end)
    assert torch.allclose(out[at_end], p.terminal_cost(z[at_end]))
    assert torch.allclose(out[~at_end], v(t, z)[~at_end])


def test_saturated_policy_gets_a_gradient_only_straight_through() -> None:
    # past the bound the clip's gradient is zero (an absorbing state); straight-through passes the gradient on
    t, z = torch.rand(20, 1), torch.randn(20, 3)
    grads = {}
    for mode in ("clip", "straight"):
        torch.manual_seed(0)
        pol = PolicyNet(d=3, width=8, layers=3, bound=0.25, bound_grad=mode)
        with torch.no_grad():
            pol.net[-1].bias.fill_(3.0)
        u = pol(t, z)
        assert torch.allclose(u, torch.full((20, 3), 0.25))  # the same values either way
        (0.5 * (u * u).sum()).backward()
        grads[mode] = pol.net[-1].bias.grad
    assert torch.equal(grads["clip"], torch.zeros(3))
    assert bool((grads["straight"] > 0).all())  # ½|u|² pulls ψ back towards the bound
