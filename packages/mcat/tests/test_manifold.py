"""Manifold distance: the paper's is differentiable (∇_u d = 2(u − G(z*))), the released one is not."""

import torch

from advfrontier.mcat.manifold import (
    ClassGenerators,
    fit_generators_latent,
    fit_generators_released,
    latent_search,
    manifold_distance,
    released_manifold_distance,
)


def _gen(classes: int = 3, dz: int = 4, df: int = 6) -> ClassGenerators:
    torch.manual_seed(0)
    return ClassGenerators(classes, dz, df, (16,)).double()


def test_paper_distance_gradient_matches_danskin_and_finite_differences() -> None:
    gen = _gen()
    u = torch.randn(5, 6, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0, 1, 2, 1, 0])
    z = latent_search(gen, u, y, steps=5).double()
    d = manifold_distance(gen, u, y, z=z)
    (g,) = torch.autograd.grad(d.sum(), u)
    with torch.no_grad():
        torch.testing.assert_close(g, 2 * (u - gen(z, y)))
        h = 1e-6
        fd = torch.zeros_like(u)
        for i in range(u.shape[0]):
            for j in range(u.shape[1]):
                e = torch.zeros_like(u)
                e[i, j] = h
                fd[i, j] = (manifold_distance(gen, u + e, y, z=z) - manifold_distance(gen, u - e, y, z=z))[
                    i
                ] / (2 * h)
    torch.testing.assert_close(g, fd, atol=1e-6, rtol=1e-6)


def test_released_distance_carries_no_gradient_paper_distance_does() -> None:
    gen = _gen()
    x = torch.randn(4, 6, dtype=torch.float64, requires_grad=True)
    lin = torch.nn.Linear(6, 6).double()
    y = torch.tensor([0, 1, 2, 0])
    torch.manual_seed(3)
    d_rel = released_manifold_distance(gen, lin(x), y)
    torch.manual_seed(3)
    d_pap = manifold_distance(gen, lin(x), y)
    torch.testing.assert_close(d_rel, d_pap.detach())  # same value...
    assert not d_rel.requires_grad  # ...but no path to x or to the weights
    g = torch.autograd.grad(d_pap.sum(), [x, lin.weight])
    assert all(float(t.abs().sum()) > 0 for t in g)


def test_latent_search_never_ends_above_its_start() -> None:
    gen = _gen()
    u = torch.randn(32, 6, dtype=torch.float64)
    y = torch.randint(0, 3, (32,))
    torch.manual_seed(7)
    start = latent_search(gen, u, y, steps=0)
    torch.manual_seed(7)
    found = latent_search(gen, u, y, steps=10)
    with torch.no_grad():
        d0 = ((gen(start, y) - u) ** 2).sum(1)
        d1 = ((gen(found, y) - u) ** 2).sum(1)
    assert bool((d1 <= d0).all()) and float(d1.mean()) < 0.9 * float(d0.mean())
    assert all(not p.requires_grad or p.grad is None for p in gen.parameters())


def _curve_features(n: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """Two classes on 1-D curves in R^6 (class mean far from each curve point)."""
    t = torch.rand(n) * 4 - 2
    y = (torch.arange(n) % 2).long()
    v = torch.tensor([[1.0, -1, 0.5, 0, 2, 0], [0, 1, 1, -1, 0, 0.5]])
    feats = t[:, None] * v[y] + torch.stack([torch.zeros(6), torch.full((6,), 3.0)])[y]
    return feats, y


def test_released_fit_collapses_to_the_class_mean() -> None:
    torch.manual_seed(0)
    feats, y = _curve_features()
    gen = ClassGenerators(2, 4, 6, (32,))
    fit_generators_released(gen, feats, y, epochs=150, lr=3e-3, batch_size=64)
    z = torch.randn(200, 4)
    for c in (0, 1):
        with torch.no_grad():
            out = gen(z, torch.full((200,), c))
        spread = float(((feats[y == c] - feats[y == c].mean(0)) ** 2).sum(1).mean())
        to_mean = float(((out - feats[y == c].mean(0)) ** 2).sum(1).mean())
        assert to_mean < 0.05 * spread


def test_latent_fit_models_the_manifold_better_than_the_class_mean() -> None:
    torch.manual_seed(0)
    feats, y = _curve_features()
    gen = ClassGenerators(2, 2, 6, (32,))
    fit_generators_latent(gen, feats, y, epochs=150, lr=3e-3, batch_size=64, z_steps=5)
    d = manifold_distance(gen, feats, y, steps=10)
    spread = torch.stack(
        [((feats[y == c] - feats[y == c].mean(0)) ** 2).sum(1).mean() for c in (0, 1)]
    ).mean()
    assert float(d.mean()) < 0.3 * float(spread)
