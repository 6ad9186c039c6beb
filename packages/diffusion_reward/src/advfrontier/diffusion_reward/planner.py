"""Policy optimisation on a (learned) reward: model-predictive control by the cross-entropy method.

The dynamics s' = s + a are known; at every step CEM searches action sequences of length h that maximise
Σ_k r̂(s_k, a_k) and executes the first action. With h ≥ 2 a reward's state offset c(s) changes which
states the planner steers to, which is where raw and centred energies differ.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

RewardFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def cem_plan(
    reward: RewardFn,
    s: torch.Tensor,
    gen: torch.Generator,
    horizon: int,
    population: int,
    elites: int,
    iters: int,
    box: float,
    init_std: float = 0.7,
) -> torch.Tensor:
    """First action of the best action sequence for each state in the batch ``s`` (B, 2)."""
    b, d = s.shape
    mu = torch.zeros(b, horizon, d)
    std = torch.full((b, horizon, d), init_std)
    for _ in range(iters):
        noise = torch.randn(b, population, horizon, d, generator=gen)
        acts = (mu[:, None] + std[:, None] * noise).clamp(-box, box)
        states = s[:, None, None, :] + torch.cumsum(acts, dim=2) - acts  # s_k before action k
        with torch.no_grad():
            r = reward(states.reshape(-1, d), acts.reshape(-1, d)).view(b, population, horizon).sum(-1)
        top = r.topk(elites, dim=1).indices
        chosen = torch.gather(acts, 1, top[:, :, None, None].expand(-1, -1, horizon, d))
        mu, std = chosen.mean(1), chosen.std(1) + 1e-3
    return mu[:, 0]
