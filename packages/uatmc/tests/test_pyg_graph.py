"""MMGCN on torch-geometric equals the former hand-written torch.sparse MMGCN on a small graph."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from advfrontier.uatmc.models import MMGCN, bipartite_graph
from advfrontier.uatmc.perturb import training_perturbation


def sparse_adjacency(n_users: int, n_items: int, pairs: np.ndarray) -> torch.Tensor:
    """Reference: symmetric D^-1/2 A D^-1/2 of the bipartite graph as a dense-checked sparse tensor."""
    u = torch.as_tensor(pairs[:, 0]).long()
    i = torch.as_tensor(pairs[:, 1]).long() + n_users
    rows, cols = torch.cat([u, i]), torch.cat([i, u])
    n = n_users + n_items
    deg = torch.zeros(n, dtype=torch.float64).index_add_(0, rows, torch.ones(len(rows), dtype=torch.float64))
    vals = deg.clamp(min=1)[rows].rsqrt() * deg.clamp(min=1)[cols].rsqrt()
    return torch.sparse_coo_tensor(torch.stack([rows, cols]), vals, (n, n), check_invariants=True).coalesce()


def reference_embed(m: MMGCN, adj: torch.Tensor, f_v: torch.Tensor, f_t: torch.Tensor) -> torch.Tensor:
    """The former ModalGCN forward, written on torch.sparse with the PyG model's weights."""

    def modal(gcn, f):
        x = torch.cat([gcn.pref, f], dim=0)
        for conv, lin, out in zip(gcn.conv, gcn.lin, gcn.out, strict=True):
            h = F.leaky_relu(torch.sparse.mm(adj, x @ conv.lin.weight.T))
            x = F.leaky_relu(out(h + F.leaky_relu(lin(x)) + m.ids))
        return x

    return (modal(m.gcn_v, f_v) + modal(m.gcn_t, f_t)) / 2


def graph_pairs(n_users: int = 6, n_items: int = 8) -> np.ndarray:
    rng = np.random.default_rng(3)
    pairs = {(u, int(i)) for u in range(n_users) for i in rng.choice(n_items, size=3, replace=False)}
    return np.array(sorted(pairs))


def test_pyg_normalised_graph_equals_dense_formula():
    pairs = graph_pairs()
    edge_index, w = bipartite_graph(6, 8, pairs)
    dense = torch.zeros(14, 14)
    dense[edge_index[1], edge_index[0]] = w.float()
    ref = sparse_adjacency(6, 8, pairs).to_dense().float()
    assert torch.allclose(dense, ref, atol=1e-6)
    assert torch.allclose(dense, dense.T)


def test_pyg_mmgcn_equals_sparse_mmgcn_and_its_gradients():
    pairs = graph_pairs()
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    v, t = torch.as_tensor(rng.normal(size=(8, 10))), torch.as_tensor(rng.normal(size=(8, 6)))
    m = MMGCN(6, v, t, 4, (8,), (8,), pairs, layers=3).double()
    adj = sparse_adjacency(6, 8, pairs)
    f_v, f_t = (f.detach().requires_grad_(True) for f in m.project())
    user, item = m.embed(f_v, f_t)
    ours = torch.cat([user, item])
    ref = reference_embed(m, adj, f_v, f_t)
    assert torch.allclose(ours, ref, atol=1e-12)
    w = torch.randn_like(ours)
    g_ours = torch.autograd.grad((ours * w).sum(), (f_v, f_t))
    g_ref = torch.autograd.grad((ref * w).sum(), (f_v, f_t))
    for a, b in zip(g_ours, g_ref, strict=True):
        assert torch.allclose(a, b, atol=1e-12)
        assert a.abs().sum() > 0


def test_pyg_mmgcn_supports_the_double_backprop_of_uat_mc():
    """λ_ga changes δ for MMGCN too (the released code's inert MMGCN term, Q2, is not reproduced)."""
    pairs = graph_pairs()
    rng = np.random.default_rng(1)
    torch.manual_seed(1)
    m = MMGCN(6, torch.as_tensor(rng.normal(size=(8, 10))), torch.as_tensor(rng.normal(size=(8, 6))), 4,
              (8,), (8,), pairs).double()  # fmt: skip
    with torch.no_grad():
        f_v, f_t = m.project()
    batch = torch.as_tensor([(u, i, (i + 3) % 8) for u, i in pairs])
    d0 = training_perturbation(m, f_v, f_t, batch, 0.1, "vt", 0.0)
    d4 = training_perturbation(m, f_v, f_t, batch, 0.1, "vt", 4.0)
    assert not torch.allclose(d0[0], d4[0], atol=1e-8)
    assert all(torch.isfinite(d).all() for d in (*d0, *d4))


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
