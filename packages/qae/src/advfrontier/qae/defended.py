"""Purifier + classifier as one model on [0, 1] images, so that attacks can go through the defence."""

from __future__ import annotations

from torch import Tensor, nn

from advfrontier.qae.autoencoder import QuantumAutoencoder
from advfrontier.qae.cae import ConvAutoencoder
from advfrontier.qae.circuits import amplitude_state
from advfrontier.qae.classifier import QuantumClassifier


class QAEDefended(nn.Module):
    """x ↦ classifier(U† Π₀ U |ψ(x)⟩ / √F): the quantum autoencoder purifies the encoded state."""

    def __init__(self, qae: QuantumAutoencoder, clf: QuantumClassifier) -> None:
        super().__init__()
        self.qae, self.clf = qae, clf

    def purify_and_classify(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """(logits of the purified state, trash fidelity F of the input)."""
        state, fid = self.qae.purify(amplitude_state(x))
        return self.clf.forward_state(state), fid

    def forward(self, x: Tensor) -> Tensor:
        return self.purify_and_classify(x)[0]


class CAEDefended(nn.Module):
    """x ↦ classifier(CAE(x)): the classical autoencoder purifies the image."""

    def __init__(self, cae: ConvAutoencoder, clf: QuantumClassifier) -> None:
        super().__init__()
        self.cae, self.clf = cae, clf

    def forward(self, x: Tensor) -> Tensor:
        return self.clf(self.cae(x))
