"""The miniature task: point-mass navigation to a goal past an obstacle, with a known soft-optimal Q*.

State s ∈ R² (position), action a ∈ R² (a step), dynamics s' = s + a. The true reward is written here:
    r(s, a) = −sqrt(‖s + a − g‖² + δ²) − w·exp(−‖s + a − o‖² / (2ρ²)) − λ‖a‖².
The expert is the max-entropy optimum of the one-step (discount 0) problem, so Q*(s, a) = r(s, a) exactly and
π_E(a|s) ∝ exp(Q*(s, a)/α); it is sampled on a fine action grid with uniform jitter inside each cell.
Episodes run H steps from random start states in the lower-left corner; the return is Σ_t r(s_t, a_t).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

GOAL = (1.5, 1.5)
OBSTACLE = (0.0, 0.0)


@dataclass(frozen=True)
class Task:
    """Constants of the navigation task (fixed across scales; only sizes change)."""

    alpha: float = 0.1
    """Temperature of the max-entropy expert π_E ∝ exp(Q*/α)."""
    action_cost: float = 1.0
    """λ in −λ‖a‖²."""
    obstacle_weight: float = 0.8
    """w: height of the Gaussian obstacle bump."""
    obstacle_width: float = 0.5
    """ρ: width of the obstacle bump."""
    smooth: float = 0.1
    """δ: smoothing of the distance to the goal (keeps Q* smooth at the goal)."""
    action_box: float = 2.0
    """Actions live in [−box, box]²; the expert grid covers it."""
    grid: int = 81
    """Expert action grid points per axis (cell 4/80 = 0.05)."""
    horizon: int = 12
    """Episode length H."""


def q_star(task: Task, s: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """The true reward r(s, a) = Q*(s, a) (discount 0); broadcasts over leading dimensions."""
    nxt = s + a
    g = torch.tensor(GOAL, dtype=s.dtype)
    o = torch.tensor(OBSTACLE, dtype=s.dtype)
    dist = torch.sqrt(((nxt - g) ** 2).sum(-1) + task.smooth**2)
    bump = task.obstacle_weight * torch.exp(-((nxt - o) ** 2).sum(-1) / (2 * task.obstacle_width**2))
    return -dist - bump - task.action_cost * (a**2).sum(-1)


def action_grid(task: Task) -> torch.Tensor:
    """The expert's action grid, shape (grid², 2), in float64."""
    axis = torch.linspace(-task.action_box, task.action_box, task.grid, dtype=torch.float64)
    ax, ay = torch.meshgrid(axis, axis, indexing="ij")
    return torch.stack([ax.reshape(-1), ay.reshape(-1)], dim=-1)


def cell(task: Task) -> float:
    """Side of one grid cell."""
    return 2 * task.action_box / (task.grid - 1)


def soft_value(task: Task, s: torch.Tensor) -> torch.Tensor:
    """V*(s) = α log ∫ exp(Q*(s, a)/α) da (grid quadrature); shape s.shape[:-1]."""
    grid = action_grid(task)
    q = q_star(task, s.double()[..., None, :], grid)  # (..., G)
    return task.alpha * (torch.logsumexp(q / task.alpha, dim=-1) + 2 * np.log(cell(task)))


def soft_advantage(task: Task, s: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """A*(s, a) = Q*(s, a) − V*(s) = α log π_E(a|s); a has shape (..., M, 2), s (..., 2)."""
    q = q_star(task, s.double()[..., None, :], a.double())
    return q - soft_value(task, s)[..., None]


def max_q(task: Task, s: torch.Tensor) -> torch.Tensor:
    """max_a Q*(s, a) over the grid (the greedy optimum, for the suboptimality gap)."""
    return q_star(task, s.double()[..., None, :], action_grid(task)).max(dim=-1).values


def sample_expert(
    task: Task, s: torch.Tensor, gen: torch.Generator, temperature: float = 1.0
) -> torch.Tensor:
    """a ~ π_E(·|s) ∝ exp(Q*/(temperature·α)), on the grid plus uniform jitter in the cell; float32."""
    grid = action_grid(task)
    logits = q_star(task, s.double()[:, None, :], grid) / (task.alpha * temperature)
    probs = torch.softmax(logits, dim=-1)
    idx = torch.multinomial(probs.float(), 1, generator=gen).squeeze(-1)
    jitter = (torch.rand(len(s), 2, generator=gen, dtype=torch.float64) - 0.5) * cell(task)
    return (grid[idx] + jitter).float()


def start_states(n: int, gen: torch.Generator) -> torch.Tensor:
    """Episode starts, uniform in the lower-left square [−2, −1.2]²."""
    return -2.0 + 0.8 * torch.rand(n, 2, generator=gen)


def expert_demos(task: Task, episodes: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Roll out the expert for ``episodes`` episodes; return the visited (states, actions), each (N·H, 2)."""
    s = start_states(episodes, gen)
    states, actions = [], []
    for _ in range(task.horizon):
        a = sample_expert(task, s, gen)
        states.append(s)
        actions.append(a)
        s = s + a
    return torch.cat(states), torch.cat(actions)


def rollout(task: Task, policy, starts: torch.Tensor) -> torch.Tensor:
    """Mean true return of ``policy(states) -> actions`` (batched, clipped to the box) from ``starts``."""
    s = starts.clone()
    total = torch.zeros(len(s), dtype=torch.float64)
    for _ in range(task.horizon):
        a = policy(s).detach().float().clamp(-task.action_box, task.action_box)
        total += q_star(task, s.double(), a.double())
        s = s + a
    return total.mean()
