"""Variational quantum classifier: amplitude encoding, StronglyEntanglingLayers V(φ), logits β·⟨Z_k⟩."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advfrontier.qae.circuits import amplitude_state, classifier, sel_shape


class QuantumClassifier(nn.Module):
    """Takes images in [0, 1] (the amplitude encoding is its first layer) and returns logits."""

    def __init__(self, n_qubits: int, n_classes: int, layers: int, logit_scale: float = 5.0) -> None:
        super().__init__()
        self.n_qubits, self.n_classes = n_qubits, n_classes
        shape = sel_shape(layers, n_qubits)
        self.phi = nn.Parameter(0.1 * torch.randn(shape, dtype=torch.float64))
        self.beta = nn.Parameter(torch.tensor(logit_scale, dtype=torch.float64))
        """Trainable logit scale: ⟨Z⟩ ∈ [−1, 1] alone gives too flat a softmax."""

    def forward_state(self, psi: Tensor) -> Tensor:
        """Logits of a batch of normalised states (B, 2^n)."""
        return self.beta * classifier(self.n_qubits, self.n_classes)(psi, self.phi)

    def forward(self, x: Tensor) -> Tensor:
        return self.forward_state(amplitude_state(x))


def classification_loss(logits: Tensor, y: Tensor) -> Tensor:
    """Cross-entropy on β·⟨Z⟩ logits (classifier training; the paper's equation number is unknown)."""
    return nn.functional.cross_entropy(logits, y)
