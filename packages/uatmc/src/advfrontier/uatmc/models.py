"""The two backbones UAT-MC defends: VBPR_MLP and MMGCN_MLP (Xian et al., after MMRec).

MMGCN's graph convolution is torch-geometric's (``GCNConv`` on ``gcn_norm``'s normalised graph).
Both map raw item features x_v, x_t through projection MLPs to L2-normalised f_v, f_t (the features the
attack perturbs and UAT-MC perturbs in training), then ``embed(f_v, f_t)`` gives user and item embeddings
whose inner product is the score ŷ_ui.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch_geometric.nn import GCNConv
from torch_geometric.nn.conv.gcn_conv import gcn_norm


def mlp(d_in: int, hidden: tuple[int, ...], d_out: int) -> nn.Sequential:
    """Linear → ReLU → LayerNorm per hidden width, then a linear output (the released P_v, P_t)."""
    layers: list[nn.Module] = []
    for h in hidden:
        layers += [nn.Linear(d_in, h), nn.ReLU(), nn.LayerNorm(h)]
        d_in = h
    layers.append(nn.Linear(d_in, d_out))
    return nn.Sequential(*layers)


class Backbone(nn.Module):
    """Raw features → projected, normalised f_v, f_t; subclasses define ``embed``."""

    def __init__(
        self,
        n_users: int,
        v_raw: torch.Tensor,
        t_raw: torch.Tensor,
        d: int,
        v_hidden: tuple[int, ...],
        t_hidden: tuple[int, ...],
    ) -> None:
        super().__init__()
        self.n_users, self.n_items, self.d = n_users, v_raw.shape[0], d
        self.register_buffer("v_raw", v_raw.float())
        self.register_buffer("t_raw", t_raw.float())
        self.proj_v = mlp(v_raw.shape[1], v_hidden, d)
        self.proj_t = mlp(t_raw.shape[1], t_hidden, d)
        self.temperature = nn.Parameter(torch.tensor(0.07))
        """Used as exp(τ) on the cosine logits, as in the released code (τ init 0.07)."""

    def project(self) -> tuple[torch.Tensor, torch.Tensor]:
        """f_v = L2norm(P_v(x_v)), f_t = L2norm(P_t(x_t))."""
        return F.normalize(self.proj_v(self.v_raw), dim=-1), F.normalize(self.proj_t(self.t_raw), dim=-1)

    def embed(self, f_v: torch.Tensor, f_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError

    def projection_parameters(self) -> list[nn.Parameter]:
        """Parameters frozen in stage 2 (P_v, P_t and the alignment temperature)."""
        return [*self.proj_v.parameters(), *self.proj_t.parameters(), self.temperature]


class VBPR(Backbone):
    """VBPR_MLP: e_i = [q_i ; W[f_v,i ; f_t,i] + b], user p_u ∈ R^{2d}, ŷ_ui = p_u·e_i."""

    def __init__(
        self,
        n_users: int,
        v_raw: torch.Tensor,
        t_raw: torch.Tensor,
        d: int,
        v_hidden: tuple[int, ...],
        t_hidden: tuple[int, ...],
    ) -> None:
        super().__init__(n_users, v_raw, t_raw, d, v_hidden, t_hidden)
        self.user = nn.Parameter(nn.init.xavier_uniform_(torch.empty(n_users, 2 * d)))
        self.item = nn.Parameter(nn.init.xavier_uniform_(torch.empty(self.n_items, d)))
        self.fuse = nn.Linear(2 * d, d)

    def embed(self, f_v: torch.Tensor, f_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.user, torch.cat([self.item, self.fuse(torch.cat([f_v, f_t], dim=1))], dim=1)


def bipartite_graph(n_users: int, n_items: int, pairs: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """The user–item graph (users first, items offset by n_users, both directions) with PyG's symmetric
    normalisation D^-1/2 A D^-1/2 (``gcn_norm`` without self-loops): (edge_index, edge_weight)."""
    u = torch.as_tensor(pairs[:, 0], dtype=torch.long)
    i = torch.as_tensor(pairs[:, 1], dtype=torch.long) + n_users
    edge_index = torch.stack([torch.cat([u, i]), torch.cat([i, u])])
    return gcn_norm(edge_index, None, n_users + n_items, add_self_loops=False)


class ModalGCN(nn.Module):
    """One modality of MMGCN: user preference P_m and item features f_m on the graph, L layers.

    Per layer: h = LeakyReLU(Â·x W) by PyG's ``GCNConv`` (message passing on the normalised graph),
    x̂ = LeakyReLU(lin(x)) + ID embedding, x ← LeakyReLU(out(h + x̂)).
    """

    def __init__(self, n_users: int, d: int, layers: int) -> None:
        super().__init__()
        self.pref = nn.Parameter(nn.init.xavier_uniform_(torch.empty(n_users, d)))
        self.conv = nn.ModuleList(
            GCNConv(d, d, bias=False, add_self_loops=False, normalize=False) for _ in range(layers)
        )
        self.lin = nn.ModuleList(nn.Linear(d, d) for _ in range(layers))
        self.out = nn.ModuleList(nn.Linear(d, d) for _ in range(layers))

    def forward(
        self, edge_index: torch.Tensor, edge_weight: torch.Tensor, f: torch.Tensor, ids: torch.Tensor
    ) -> torch.Tensor:
        x = torch.cat([self.pref, f], dim=0)
        for conv, lin, out in zip(self.conv, self.lin, self.out, strict=True):
            h = F.leaky_relu(conv(x, edge_index, edge_weight))
            x_hat = F.leaky_relu(lin(x)) + ids
            x = F.leaky_relu(out(h + x_hat))
        return x


class MMGCN(Backbone):
    """MMGCN_MLP: per-modality GCNs (torch-geometric) on f_v and f_t with a shared ID embedding, averaged."""

    def __init__(
        self,
        n_users: int,
        v_raw: torch.Tensor,
        t_raw: torch.Tensor,
        d: int,
        v_hidden: tuple[int, ...],
        t_hidden: tuple[int, ...],
        train_pairs: np.ndarray,
        layers: int = 3,
    ) -> None:
        super().__init__(n_users, v_raw, t_raw, d, v_hidden, t_hidden)
        edge_index, edge_weight = bipartite_graph(n_users, self.n_items, train_pairs)
        self.register_buffer("edge_index", edge_index)
        self.register_buffer("edge_weight", edge_weight)
        self.ids = nn.Parameter(nn.init.xavier_uniform_(torch.empty(n_users + self.n_items, d)))
        self.gcn_v, self.gcn_t = ModalGCN(n_users, d, layers), ModalGCN(n_users, d, layers)

    def embed(self, f_v: torch.Tensor, f_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        graph = (self.edge_index, self.edge_weight)
        x = (self.gcn_v(*graph, f_v, self.ids) + self.gcn_t(*graph, f_t, self.ids)) / 2
        return x[: self.n_users], x[self.n_users :]


def build_model(
    name: str,
    n_users: int,
    v_raw: np.ndarray,
    t_raw: np.ndarray,
    train_pairs: np.ndarray,
    d: int,
    v_hidden: tuple[int, ...],
    t_hidden: tuple[int, ...],
    gcn_layers: int = 3,
) -> Backbone:
    """VBPR or MMGCN on the given raw features."""
    v, t = torch.as_tensor(v_raw), torch.as_tensor(t_raw)
    if name == "vbpr":
        return VBPR(n_users, v, t, d, v_hidden, t_hidden)
    if name == "mmgcn":
        return MMGCN(n_users, v, t, d, v_hidden, t_hidden, train_pairs, gcn_layers)
    raise ValueError(f"unknown model {name!r}")
