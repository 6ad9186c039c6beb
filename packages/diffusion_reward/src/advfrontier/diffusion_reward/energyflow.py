"""EnergyFlow: the score is −∇_a of a scalar energy; DSM training; PF-ODE sampling; centred reward.

Input range: actions in the standardised space of the demonstrations (zero mean, unit std per dimension).
``EnergyFn`` is any ``energy(a, s, t) -> (B,)``; ``ScoreFn`` any ``score(a, s, t) -> (B, action_dim)``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from advfrontier.diffusion_reward.nets import DiffusionNet
from advfrontier.diffusion_reward.schedule import VESchedule

EnergyFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]
ScoreFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


def energy_score(
    energy: EnergyFn, a: torch.Tensor, s: torch.Tensor, t: torch.Tensor, create_graph: bool
) -> torch.Tensor:
    """S(a, s, t) = −∇_a E(a, s, t) by autograd (create_graph=True while training)."""
    with torch.enable_grad():
        a = a if create_graph else a.detach()
        if not a.requires_grad:
            a = a.requires_grad_(True)
        e = energy(a, s, t)
        (grad,) = torch.autograd.grad(e.sum(), a, create_graph=create_graph)
    return -grad if create_graph else -grad.detach()


class EnergyModel(nn.Module):
    """E_φ(a, s, t) (MLP); with ``precondition`` E = h_φ(a/√(1+σ²), s, t)·√(1+σ²)/σ (our deviation).

    The factor makes σ·S = −∇_x h(x) at x = a/√(1+σ²), an O(1) target at every noise level.
    """

    def __init__(
        self,
        schedule: VESchedule,
        action_dim: int,
        state_dim: int,
        hidden: int,
        depth: int,
        precondition: bool,
    ):
        super().__init__()
        self.schedule = schedule
        self.precondition = precondition
        self.net = DiffusionNet(action_dim, state_dim, hidden, depth, out=1)

    def energy(self, a: torch.Tensor, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        if not self.precondition:
            return self.net(a, s, t).squeeze(-1)
        sigma = self.schedule.sigma(t)[:, None]
        root = torch.sqrt(1 + sigma**2)
        return (self.net(a / root, s, t) * root / sigma).squeeze(-1)

    def score(
        self, a: torch.Tensor, s: torch.Tensor, t: torch.Tensor, create_graph: bool = False
    ) -> torch.Tensor:
        return energy_score(self.energy, a, s, t, create_graph)


class ScoreModel(nn.Module):
    """The contrast: an unconstrained vector score S_φ(a, s, t) (a standard diffusion policy); no scalar.

    With ``precondition`` S = g_φ(a/√(1+σ²), s, t)/σ, the same scaling as EnergyModel's gradient.
    """

    def __init__(
        self,
        schedule: VESchedule,
        action_dim: int,
        state_dim: int,
        hidden: int,
        depth: int,
        precondition: bool,
    ):
        super().__init__()
        self.schedule = schedule
        self.precondition = precondition
        self.net = DiffusionNet(action_dim, state_dim, hidden, depth, out=action_dim)

    def score(
        self, a: torch.Tensor, s: torch.Tensor, t: torch.Tensor, create_graph: bool = False
    ) -> torch.Tensor:
        if not self.precondition:
            return self.net(a, s, t)
        sigma = self.schedule.sigma(t)[:, None]
        return self.net(a / torch.sqrt(1 + sigma**2), s, t) / sigma


def dsm_loss(
    score: Callable[..., torch.Tensor],
    schedule: VESchedule,
    s: torch.Tensor,
    a0: torch.Tensor,
    t: torch.Tensor,
    eps: torch.Tensor,
) -> torch.Tensor:
    """Denoising score matching, L = E‖σ(t)·S_φ(a0 + σε, s, t) + ε‖² (paper's DSM loss)."""
    sigma = schedule.sigma(t).view(-1, *([1] * (a0.dim() - 1)))
    a_t = a0 + sigma * eps
    pred = score(a_t, s, t, create_graph=True)
    return (sigma * pred + eps).pow(2).mean()


def sample_ode(
    score: Callable[..., torch.Tensor],
    schedule: VESchedule,
    s: torch.Tensor,
    a_init: torch.Tensor,
    steps: int,
    gamma: float,
) -> torch.Tensor:
    """Euler on the probability-flow ODE da/dt = −½ (dσ²/dt) S(a, s, t) = ½ (dσ²/dt) ∇_a E, from t = T to γ.

    ``a_init`` should be drawn from N(0, σ_max² I); the ODE is deterministic given it.
    """
    a = a_init.detach()
    dt = (schedule.T - gamma) / steps
    for k in range(steps):
        t = torch.full((len(a),), schedule.T - k * dt, dtype=a.dtype)
        drift = -0.5 * schedule.d_sigma_sq(t).view(-1, *([1] * (a.dim() - 1))) * score(a, s, t)
        a = (a - dt * drift).detach()
    return a


def reference_actions(m: int, shape: tuple[int, ...], seed: int = 0) -> torch.Tensor:
    """The M fixed baseline actions a'_m ~ N(0, I) of the centred reward (fixed seed, as in the code)."""
    return torch.randn(m, *shape, generator=torch.Generator().manual_seed(seed))


def raw_reward(energy: EnergyFn, s: torch.Tensor, a: torch.Tensor, gamma: float) -> torch.Tensor:
    """−E(a, s, γ): the uncentred energy reward."""
    t = torch.full((len(a),), gamma, dtype=a.dtype)
    with torch.no_grad():
        return -energy(a, s, t)


def centred_reward(
    energy: EnergyFn, s: torch.Tensor, a: torch.Tensor, refs: torch.Tensor, gamma: float
) -> torch.Tensor:
    """r̃(s, a) = −[E(a, s, γ) − (1/M) Σ_m E(a'_m, s, γ)]: removes any state offset c(s) of the energy."""
    b, m = len(a), len(refs)
    s_rep = s.repeat_interleave(m, dim=0)
    r_rep = refs.repeat(b, *([1] * (refs.dim() - 1)))
    t = torch.full((b * m,), gamma, dtype=a.dtype)
    with torch.no_grad():
        baseline = energy(r_rep, s_rep, t).view(b, m).mean(dim=1)
    return raw_reward(energy, s, a, gamma) + baseline
