"""Class-conditional feature manifolds and MCAT's manifold distance d_My(u) = min_z ‖u − G_y(z)‖².

One frozen MLP generator G_c: R^dz → R^df per class (paper: dz 128 → 1024 → 1024 → df, ReLU). The
minimum over z is found by T_z gradient steps from a random start (Adam, lr 0.1 [inferred]; the best
iterate per example is kept, so the search never ends above its start).

Two distances:

* :func:`manifold_distance` (the paper): z* is found on a detached copy of u and then held constant,
  so d stays differentiable in u with ∇_u d = 2(u − G_y(z*)) (Danskin's theorem).
* :func:`released_manifold_distance` (the released code): the same search, but the distance is
  computed under ``no_grad``; it carries no gradient to the features, the input or the weights.
"""

from __future__ import annotations

import itertools

import torch
from torch import Tensor, nn

from advfrontier.shared.engine import budget_reached


class ClassGenerators(nn.Module):
    """C independent MLP generators G_c(z), each dz → hidden… → df with ReLU between layers."""

    def __init__(self, num_classes: int, latent_dim: int, feature_dim: int, hidden: tuple[int, ...]) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        dims = (latent_dim, *hidden, feature_dim)

        def mlp() -> nn.Sequential:
            layers: list[nn.Module] = []
            for i, (a, b) in enumerate(itertools.pairwise(dims)):
                layers.append(nn.Linear(a, b))
                if i < len(dims) - 2:
                    layers.append(nn.ReLU())
            return nn.Sequential(*layers)

        self.nets = nn.ModuleList(mlp() for _ in range(num_classes))

    def forward(self, z: Tensor, y: Tensor) -> Tensor:
        """G_{y_i}(z_i) for each row i (rows grouped by class, one MLP call per class present)."""
        out = z.new_empty(len(z), self.nets[0][-1].out_features)
        for c in torch.unique(y).tolist():
            rows = y == c
            out[rows] = self.nets[c](z[rows])
        return out


def _sq_dist(a: Tensor, b: Tensor) -> Tensor:
    return ((a - b) ** 2).flatten(1).sum(1)


def latent_search(gen: ClassGenerators, u: Tensor, y: Tensor, steps: int = 5, lr: float = 0.1) -> Tensor:
    """z* ≈ argmin_z ‖u − G_y(z)‖² per row: ``steps`` Adam steps from z ~ N(0, I), best iterate kept.

    ``u`` is detached here and the generator's weights receive no gradient; the result is a constant.
    """
    target = u.detach()
    with torch.enable_grad():
        z = torch.randn(len(u), gen.latent_dim, device=u.device, dtype=u.dtype, requires_grad=True)
        opt = torch.optim.Adam([z], lr=lr)
        best_z = z.detach().clone()
        best_d = torch.full((len(u),), float("inf"), device=u.device, dtype=u.dtype)
        params = list(gen.parameters())
        flags = [p.requires_grad for p in params]
        for p in params:
            p.requires_grad_(False)
        try:
            for step in range(steps + 1):
                d = _sq_dist(gen(z, y), target)
                better = d.detach() < best_d
                best_d = torch.where(better, d.detach(), best_d)
                best_z[better] = z.detach()[better]
                if step == steps:
                    break
                opt.zero_grad()
                d.sum().backward()
                opt.step()
        finally:
            for p, f in zip(params, flags, strict=True):
                p.requires_grad_(f)
    return best_z


def manifold_distance(
    gen: ClassGenerators, u: Tensor, y: Tensor, steps: int = 5, lr: float = 0.1, z: Tensor | None = None
) -> Tensor:
    # d_My(u) = min_z ‖u − G_y(z)‖² (paper, manifold distance); differentiable in u with z* held fixed
    z_star = latent_search(gen, u, y, steps, lr) if z is None else z
    with torch.no_grad():
        anchor = gen(z_star, y)
    return _sq_dist(u, anchor)


def released_manifold_distance(
    gen: ClassGenerators, u: Tensor, y: Tensor, steps: int = 5, lr: float = 0.1
) -> Tensor:
    """The released code's d: the same z search, the distance under no_grad (no gradient anywhere)."""
    z_star = latent_search(gen, u, y, steps, lr)
    with torch.no_grad():
        return _sq_dist(u, gen(z_star, y))


def fit_generators_latent(
    gen: ClassGenerators,
    feats: Tensor,
    labels: Tensor,
    epochs: int,
    lr: float = 1e-3,
    batch_size: int = 128,
    z_steps: int = 5,
    z_lr: float = 0.1,
) -> list[float]:
    """Fit each G_c to its class's features by minimising E d_Mc(φ) (z* searched, then G stepped).

    This is the manifold fit the paper's distance implies [inferred]; returns the mean d per epoch.
    """
    opt = torch.optim.Adam(gen.parameters(), lr=lr)
    history: list[float] = []
    steps = 0
    for _ in range(epochs):
        order = torch.randperm(len(feats))
        total = 0.0
        for i in range(0, len(order), batch_size):
            idx = order[i : i + batch_size]
            u, y = feats[idx], labels[idx]
            z = latent_search(gen, u, y, z_steps, z_lr)
            loss = _sq_dist(gen(z, y), u).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
            steps += 1
            if budget_reached(steps):  # --max-steps
                break
        history.append(total / max(len(feats), 1))
        if budget_reached(steps):
            break
    return history


def fit_generators_released(
    gen: ClassGenerators, feats: Tensor, labels: Tensor, epochs: int, lr: float = 1e-3, batch_size: int = 128
) -> list[float]:
    """The released code's fit: MSE(G_c(z), φ) with z ~ N(0, I) drawn independently of φ.

    Since z carries no information about φ, the minimiser is G_c ≡ the class-mean feature [inferred].
    """
    opt = torch.optim.Adam(gen.parameters(), lr=lr)
    history: list[float] = []
    steps = 0
    for _ in range(epochs):
        order = torch.randperm(len(feats))
        total = 0.0
        for i in range(0, len(order), batch_size):
            idx = order[i : i + batch_size]
            u, y = feats[idx], labels[idx]
            z = torch.randn(len(u), gen.latent_dim, device=u.device, dtype=u.dtype)
            loss = ((gen(z, y) - u) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
            steps += 1
            if budget_reached(steps):  # --max-steps
                break
        history.append(total / max(len(feats), 1))
        if budget_reached(steps):
            break
    return history
