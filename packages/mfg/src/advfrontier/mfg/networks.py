"""The three networks: value v_θ, policy u_α = clip(ψ_α, −bound, bound) and test functions ρ_η.

Inputs are x = (t, z) ∈ R^{1+d}. v_θ is a plain ReLU MLP for t < T; at t = T the value is the terminal cost g
(applied by the caller through ``value``). The test functions are one sine layer with fixed frequency scales,
ρ_η(x) = sin(Λ ⊙ (W x + b)) ∈ [−1, 1]^r with Λ = linspace(1, c, r) (the layout of the group's DF-MartNet).
"""

from __future__ import annotations

import torch
from torch import nn

from advfrontier.mfg.lq import LQProblem


def mlp(inp: int, width: int, layers: int, out: int, zero_last: bool = False) -> nn.Sequential:
    """``layers`` linear maps with ReLU between them (layers − 1 hidden layers of ``width``)."""
    if layers < 2:
        raise ValueError(f"an MLP needs >= 2 linear layers, got {layers}")
    mods: list[nn.Module] = [nn.Linear(inp, width), nn.ReLU()]
    for _ in range(layers - 2):
        mods += [nn.Linear(width, width), nn.ReLU()]
    last = nn.Linear(width, out)
    if zero_last:
        nn.init.zeros_(last.weight)
        nn.init.zeros_(last.bias)
    mods.append(last)
    return nn.Sequential(*mods)


class ValueNet(nn.Module):
    """v_θ(t, z) for t < T; ``value`` substitutes g(z) at t = T."""

    def __init__(self, d: int, width: int, layers: int) -> None:
        super().__init__()
        self.net = mlp(d + 1, width, layers, 1)

    def forward(self, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([t, z], dim=-1)).squeeze(-1)

    def value(
        self, problem: LQProblem, t: torch.Tensor, z: torch.Tensor, at_end: torch.Tensor
    ) -> torch.Tensor:
        """v(t, z) with v(T, z) = g(z) exactly."""
        return torch.where(at_end, problem.terminal_cost(z), self(t, z))


BOUND_GRADS: tuple[str, ...] = ("clip", "straight")
"""Gradients of the control clip: the clip's own (the paper) or straight through."""


class PolicyNet(nn.Module):
    """u_α(t, z) = clip(ψ_α(t, z), −bound, bound).

    ``bound_grad``: "clip" (the paper's clip; zero gradient where |ψ| > bound, so a policy pushed past the
    bound everywhere can never return) or "straight" (the same values, gradient passed straight through the
    clip, so the cost's ½|u|² pulls ψ back)."""

    def __init__(self, d: int, width: int, layers: int, bound: float, bound_grad: str = "clip") -> None:
        super().__init__()
        if bound_grad not in BOUND_GRADS:
            raise ValueError(f"bound_grad must be one of {BOUND_GRADS}, got {bound_grad!r}")
        self.net = mlp(d + 1, width, layers, d, zero_last=True)  # start from u = 0
        self.bound, self.bound_grad = bound, bound_grad

    def forward(self, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        psi = self.net(torch.cat([t, z], dim=-1))
        u = psi.clamp(-self.bound, self.bound)
        return u if self.bound_grad == "clip" else psi + (u - psi).detach()


class TestFunctions(nn.Module):
    """ρ_η(x) = sin(Λ ⊙ (W x + b)) ∈ [−1, 1]^r, Λ = linspace(1, c, r) fixed, (W, b) = η trained by ascent."""

    def __init__(self, d: int, r: int, c: float, layout: str = "linspace") -> None:
        """``layout``: linspace (Λ = linspace(1, c, r), DF-MartNet) or arith (Λ_i = 1 + (i − 1) c, the
        paper's notes: frequencies up to 1 + (r − 1) c, fine enough to resolve the thin particle cloud)."""
        super().__init__()
        self.lin = nn.Linear(d + 1, r)
        if layout == "linspace":
            scales = torch.linspace(1.0, c, r)
        elif layout == "arith":
            scales = 1.0 + c * torch.arange(r, dtype=torch.get_default_dtype())
        else:
            raise ValueError(f"unknown test-function layout {layout!r}; expected linspace or arith")
        self.register_buffer("scales", scales)

    def forward(self, t: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        return torch.sin(self.scales * self.lin(torch.cat([t, z], dim=-1)))
