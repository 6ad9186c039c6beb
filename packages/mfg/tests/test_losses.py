"""The residual 𝓜, the unbiased G1ᵀG2 estimate, and the gradients that the losses pass on."""

from __future__ import annotations

import torch
from torch import nn

from advfrontier.mfg.losses import g1g2, improvement, residual
from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.particles import times
from advfrontier.mfg.reference import LQReference


def test_g1g2_is_unbiased_and_the_one_batch_square_is_not() -> None:
    g = torch.Generator().manual_seed(0)
    r, batch, reps = 5, 16, 20000
    w = torch.randn(r, generator=g)

    def sample() -> tuple[torch.Tensor, torch.Tensor]:
        x = torch.randn(batch, generator=g)
        rho = torch.sin(w * x[:, None])
        res = 0.3 * x + torch.randn(batch, generator=g)  # noisy residual, E[res | x] = 0.3 x
        return rho, res

    # exact |E[ρ 𝓜]|² with E[sin(w x) x] = w e^{−w²/2} for x ~ N(0, 1)
    truth = float(((0.3 * w * torch.exp(-(w**2) / 2)) ** 2).sum())
    two, one = [], []
    for _ in range(reps):
        (a, ra), (b, rb) = sample(), sample()
        two.append(float(g1g2(a, ra, b, rb)))
        one.append(float(g1g2(a, ra, a, ra)))
    two_t, one_t = torch.tensor(two), torch.tensor(one)
    se = float(two_t.std()) / reps**0.5
    assert abs(float(two_t.mean()) - truth) < 4 * se
    assert float(one_t.mean()) - truth > 10 * se  # the same-batch square carries the noise variance


class _RefValue(nn.Module):
    def __init__(self, ref: LQReference, offset: float = 0.0) -> None:
        super().__init__()
        self.ref, self.offset = ref, offset

    def forward(self, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return self.ref.value(t[:, 0], z) + self.offset * t[:, 0]

    def value(self, p: LQProblem, t: torch.Tensor, z: torch.Tensor, at_end: torch.Tensor) -> torch.Tensor:
        return torch.where(at_end, p.terminal_cost(z), self(t, z))


def _states(p: LQProblem, steps: int, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(3)
    n = torch.randint(0, steps + 1, (count,), generator=g)
    z = p.sample_initial(count, generator=g).double() + 0.3 * torch.randn(count, p.d, generator=g).double()
    return n, z


def test_residual_vanishes_in_mean_at_the_equilibrium_and_not_off_it() -> None:
    p = LQProblem(d=6, c0=0.2, c1=0.3, c4=0.5, target=0.5, m0=1.0)
    ref, steps = LQReference(p), 20
    n, z = _states(p, steps, 100000)
    means = ref.mean(torch.arange(steps + 1, dtype=torch.float64) * (p.T / steps))
    u = ref.control(times(n, p, steps).double(), z)
    zeta, reset = torch.randn_like(z), p.sample_initial(len(n)).double()
    res = residual(p, steps, n, z, means, u, _RefValue(ref), zeta, reset)
    assert bool((res[n == steps] == 0).all())
    h = p.T / steps
    se = float(res.std()) / len(res) ** 0.5
    assert abs(float(res.mean())) < 4 * se + 0.05 * h**2 * 20  # local error O(h²)
    # v + 0.2·t (not = g at T) shifts 𝓜 by +0.2 h before T − h and by −0.2 (T − h) at T − h
    off = residual(p, steps, n, z, means, u, _RefValue(ref, 0.2), zeta, reset) - res
    assert torch.allclose(off[n < steps - 1], torch.full_like(off[n < steps - 1], 0.2 * h))
    assert torch.allclose(off[n == steps - 1], torch.full_like(off[n == steps - 1], -0.2 * (p.T - h)))


def test_improvement_gradient_matches_finite_differences_and_vanishes_near_u_star() -> None:
    p = LQProblem(d=3, c0=0.2, c1=0.3, c4=0.5, target=0.5, m0=1.0)
    ref, steps = LQReference(p), 10
    n, z = _states(p, steps, 64)
    n = torch.clamp(n, max=steps - 1)
    means = ref.mean(torch.arange(steps + 1, dtype=torch.float64) * (p.T / steps))
    zeta, reset = torch.zeros_like(z), p.sample_initial(len(n)).double()
    value = _RefValue(ref)

    def loss(u: torch.Tensor) -> torch.Tensor:
        return improvement(residual(p, steps, n, z, means, u, value, zeta, reset))

    u0 = torch.randn(len(n), p.d, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(loss, (u0,), eps=1e-6, atol=1e-6)
    # with the exact value, u* is (up to O(h)) the minimiser: its gradient is far smaller than at u = 0
    u_star = ref.control(times(n, p, steps).double(), z).requires_grad_(True)
    (g_star,) = torch.autograd.grad(loss(u_star), u_star)
    zero = torch.zeros_like(u_star, requires_grad=True)
    (g_zero,) = torch.autograd.grad(loss(zero), zero)
    assert g_star.norm() < 0.2 * g_zero.norm()
