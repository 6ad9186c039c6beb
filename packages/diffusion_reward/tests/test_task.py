"""The miniature's expert is the max-ent optimum of its written Q*; the soft advantage is normalised."""

from __future__ import annotations

import torch

from advfrontier.diffusion_reward import task as T


def test_soft_advantage_is_a_normalised_log_density() -> None:
    task = T.Task()
    s = torch.tensor([[-1.5, -1.8], [0.3, -0.4], [1.4, 1.6]])
    adv = T.soft_advantage(task, s, T.action_grid(task).expand(3, -1, -1))
    mass = torch.exp(adv / task.alpha).sum(-1) * T.cell(task) ** 2  # ∫ π_E(a|s) da = 1
    torch.testing.assert_close(mass, torch.ones(3, dtype=torch.float64), rtol=1e-9, atol=0)


def test_grid_quadrature_of_soft_value_is_converged() -> None:
    task, fine = T.Task(), T.Task(grid=161)
    s = torch.tensor([[-1.5, -1.8], [0.3, -0.4]])
    torch.testing.assert_close(T.soft_value(task, s), T.soft_value(fine, s), rtol=0, atol=1e-3)


def test_expert_samples_match_the_boltzmann_policy_moments() -> None:
    task = T.Task()
    s = torch.tensor([[-0.6, -0.7]]).expand(3000, 2)
    a = T.sample_expert(task, s, torch.Generator().manual_seed(0)).double()
    grid = T.action_grid(task)
    p = torch.softmax(T.q_star(task, s[:1].double(), grid) / task.alpha, dim=-1)
    mean = (p[:, None] * grid).sum(0)
    torch.testing.assert_close(a.mean(0), mean, atol=0.02, rtol=0)
    # the expert prefers high Q*: its mean Q* beats a uniform policy's by far
    assert (
        float(T.q_star(task, s.double(), a).mean())
        > float((p * 0 + T.q_star(task, s[:1].double(), grid)).mean()) + 1.0
    )


def test_q_star_is_highest_near_the_goal_direction() -> None:
    task = T.Task()
    s = torch.tensor([[-1.0, -1.0]])
    toward, away = torch.tensor([[0.4, 0.4]]), torch.tensor([[-0.4, -0.4]])
    assert float(T.q_star(task, s, toward)) > float(T.q_star(task, s, away))
