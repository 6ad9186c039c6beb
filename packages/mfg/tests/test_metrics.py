"""The reference-free validation criterion of the real scale: the simulated cost of a policy."""

from __future__ import annotations

import torch

from advfrontier.mfg.lq import LQProblem
from advfrontier.mfg.metrics import simulated_cost
from advfrontier.mfg.reference import LQReference
from advfrontier.mfg.solver import Trained


class _Control(torch.nn.Module):
    def __init__(self, fn) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.fn = fn
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return self.fn(t[:, 0], z)


def _trained(fn) -> Trained:  # type: ignore[no-untyped-def]
    return Trained(value=None, policy=_Control(fn), particles=None, sec_per_iter=0.0)  # type: ignore[arg-type]


def test_simulated_cost_of_the_equilibrium_control_is_the_reference_cost() -> None:
    p = LQProblem(d=2, target=0.0, m0=1.0)
    ref = LQReference(p)
    torch.manual_seed(0)
    cost = simulated_cost(p, 200, _trained(lambda t, z: ref.control(t.double(), z.double()).float()), 20000)
    assert abs(cost - ref.cost()) / ref.cost() < 0.01


def test_simulated_cost_ranks_a_diverging_control_above_the_equilibrium() -> None:
    p = LQProblem(d=2, target=0.0, m0=1.0)
    ref = LQReference(p)
    torch.manual_seed(0)
    good = simulated_cost(p, 50, _trained(lambda t, z: ref.control(t.double(), z.double()).float()))
    bad = simulated_cost(p, 50, _trained(lambda t, z: 2.0 * z))
    assert bad > 1.5 * good
