"""RAAT's partition of a batch into misclassified, boundary and other samples, and the reduced input.

From the released code (``training/adv_train/adv_train_bd.py``), with the model in eval mode:
M  = {i : f(x_i) ≠ y_i}                                        (misclassified),
Bd = {i : f(x_i) = y_i, f(x_i + δ_i) ≠ y_i, f(x_i + r·δ_i) ≠ y_i}  (boundary),
N  = the rest,
where δ = x_adv − x. Boundary samples are trained on x + r·δ (a reduced, fixed intensity r), all
others on x_adv.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor, nn

from advfrontier.shared.attacks.modes import model_mode


@dataclass(frozen=True)
class Partition:
    """Three disjoint boolean masks that cover the batch."""

    misclassified: Tensor
    boundary: Tensor
    other: Tensor

    def fractions(self) -> dict[str, float]:
        n = max(len(self.other), 1)
        return {
            "misclassified": float(self.misclassified.sum()) / n,
            "boundary": float(self.boundary.sum()) / n,
            "other": float(self.other.sum()) / n,
        }


def reduced_input(x: Tensor, x_adv: Tensor, r: float) -> Tensor:
    """x + r·(x_adv − x): the boundary samples' perturbation at fixed intensity r (stays in the ε·r ball)."""
    return (x + r * (x_adv - x)).detach()


def partition(model: nn.Module, x: Tensor, x_adv: Tensor, y: Tensor, r: float) -> Partition:
    """Split the batch by the model's eval-mode predictions on x, x_adv and x + r·δ."""
    with model_mode(model, train=False), torch.no_grad():
        right_clean = model(x).argmax(1) == y
        right_adv = model(x_adv).argmax(1) == y
        right_reduced = model(reduced_input(x, x_adv, r)).argmax(1) == y
    misclassified = ~right_clean
    boundary = right_clean & ~right_adv & ~right_reduced
    other = ~misclassified & ~boundary
    return Partition(misclassified, boundary, other)


def reconstruct(x: Tensor, x_adv: Tensor, boundary: Tensor, r: float) -> Tensor:
    """The CE training set x̃: x + r·δ on boundary samples, x_adv on the rest."""
    return torch.where(boundary[:, None, None, None], reduced_input(x, x_adv, r), x_adv.detach())


@dataclass
class PartitionLog:
    """Shares (%) of M, Bd and N over the training batches of each epoch: RAAT's mechanism diagnostic.

    ``add`` after every partition, ``end_epoch`` at the end of each epoch (``fit``'s ``on_epoch_end``).
    """

    epochs: list[dict[str, float]] = field(default_factory=list)
    """Per epoch: {"m": %, "bd": %, "n": %} of all examples partitioned in that epoch."""
    _counts: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])

    def add(self, parts: Partition) -> None:
        for i, mask in enumerate((parts.misclassified, parts.boundary, parts.other)):
            self._counts[i] += float(mask.sum())

    def end_epoch(self, *_: object) -> None:
        total = max(sum(self._counts), 1.0)
        m, bd, n = (100.0 * c / total for c in self._counts)
        self.epochs.append({"m": m, "bd": bd, "n": n})
        self._counts = [0.0, 0.0, 0.0]

    def state_dict(self) -> dict[str, Any]:
        """The finished epochs, for the training checkpoint (a resumed run keeps them)."""
        return {"epochs": [dict(e) for e in self.epochs]}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.epochs = [dict(e) for e in state["epochs"]]
        self._counts = [0.0, 0.0, 0.0]

    def metrics(self) -> dict[str, float]:
        """``{bd,m,n}_share_final`` and ``{bd,m,n}_share_ep<k>`` (%, k from 1)."""
        out: dict[str, float] = {}
        for k, e in enumerate(self.epochs, start=1):
            for part, v in e.items():
                out[f"{part}_share_ep{k:02d}"] = v
        if self.epochs:
            out.update({f"{part}_share_final": v for part, v in self.epochs[-1].items()})
        return out
