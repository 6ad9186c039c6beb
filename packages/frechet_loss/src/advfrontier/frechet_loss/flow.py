"""A small flow-matching generator on flattened images, its multi-step sampler and its one-step map.

x_t = (1 − t) x + t z (t = 1 is noise), target velocity v = z − x. The multi-step sampler integrates
dx/dt = u_θ(x, t) from t = 1 to 0 with Euler steps; the one-step map is x = z − u_θ(z, 1) (the paper's
JiT use), which before fine-tuning returns E[x | z] = the mean image (blurry, all alike).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from advfrontier.shared.engine import capped


def time_embedding(t: Tensor, dim: int) -> Tensor:
    """Sinusoidal embedding of t ∈ [0, 1]."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=t.device) / half)
    ang = 1000.0 * t[:, None] * freqs[None]
    return torch.cat([ang.sin(), ang.cos()], dim=1)


class VelocityMLP(nn.Module):
    """u_θ(x, t): an MLP on the flattened image and a time embedding."""

    def __init__(self, dim: int, hidden: int = 256, depth: int = 3, t_dim: int = 32) -> None:
        super().__init__()
        self.t_dim = t_dim
        layers: list[nn.Module] = [nn.Linear(dim + t_dim, hidden), nn.SiLU()]
        for _ in range(depth - 1):
            layers += [nn.Linear(hidden, hidden), nn.SiLU()]
        layers.append(nn.Linear(hidden, dim))
        self.net = nn.Sequential(*layers)

    def forward(self, x: Tensor, t: Tensor) -> Tensor:
        return self.net(torch.cat([x, time_embedding(t, self.t_dim)], dim=1))


def flow_matching_loss(model: nn.Module, x: Tensor, gen: torch.Generator | None = None) -> Tensor:
    # Conditional flow matching: E ‖u_θ((1−t)x + t z, t) − (z − x)‖²
    z = torch.randn(x.shape, generator=gen, device=x.device)
    t = torch.rand(len(x), generator=gen, device=x.device)
    xt = (1 - t[:, None]) * x + t[:, None] * z
    return ((model(xt, t) - (z - x)) ** 2).mean()


def train_flow(model: nn.Module, data: Tensor, steps: int, batch: int, lr: float, seed: int) -> list[float]:
    """Train u_θ on rows of ``data`` (already in the generator's scale); returns the loss curve."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    losses = []
    for _ in range(capped(steps)):  # --max-steps
        idx = torch.randint(len(data), (batch,), generator=g)
        loss = flow_matching_loss(model, data[idx], g)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        losses.append(float(loss.detach()))
    return losses


def sample_euler(model: nn.Module, z: Tensor, steps: int) -> Tensor:
    """Integrate from t = 1 (noise z) to t = 0 in ``steps`` Euler steps."""
    x = z
    ts = torch.linspace(1.0, 0.0, steps + 1, device=z.device)
    for i in range(steps):
        t = ts[i].expand(len(z))
        x = x + (ts[i + 1] - ts[i]) * model(x, t)
    return x


def one_step(model: nn.Module, z: Tensor) -> Tensor:
    """The one-step map x = z − u_θ(z, 1) (differentiable)."""
    return z - model(z, torch.ones(len(z), device=z.device))
