"""Quantum autoencoder (Romero, Olson and Aspuru-Guzik, 2017) used as a purifier.

Encoder U(θ) on n qubits, the last k of them the trash register. Trash fidelity
F(ψ) = ‖(I ⊗ ⟨0|^⊗k) U|ψ⟩‖². Purification: project the trash register onto |0…0⟩, renormalise, decode
with U(θ)†:  P(ψ) = U† (Π₀ U|ψ⟩) / √F(ψ),  Π₀ = I ⊗ |0⟩⟨0|^⊗k.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advfrontier.qae.circuits import decoder, encoder, sel_shape

_TINY = 1e-12


class QuantumAutoencoder(nn.Module):
    """Encoder U(θ) = StronglyEntanglingLayers; decoder U(θ)†; trash register on the last k wires."""

    def __init__(self, n_qubits: int, n_trash: int, layers: int) -> None:
        super().__init__()
        if not 0 < n_trash < n_qubits:
            raise ValueError(f"need 0 < trash qubits < {n_qubits}, got {n_trash}")
        self.n_qubits, self.n_trash = n_qubits, n_trash
        self.theta = nn.Parameter(0.1 * torch.randn(sel_shape(layers, n_qubits), dtype=torch.float64))

    def encode(self, psi: Tensor) -> Tensor:
        """U(θ)|ψ⟩ reshaped to (B, 2^(n−k) latent, 2^k trash)."""
        out = encoder(self.n_qubits)(psi, self.theta)
        return out.reshape(len(psi), -1, 2**self.n_trash)

    def trash_fidelity(self, psi: Tensor) -> Tensor:
        """F(ψ) = Σ_latent |⟨latent, 0…0| U |ψ⟩|², per example."""
        return self.encode(psi)[..., 0].abs().pow(2).sum(-1)

    def purify(self, psi: Tensor) -> tuple[Tensor, Tensor]:
        """(U† Π₀ U|ψ⟩ / √F, F): the purified state (B, 2^n) and the trash fidelity."""
        latent = self.encode(psi)[..., 0]
        fid = latent.abs().pow(2).sum(-1)
        latent = latent / fid.clamp_min(_TINY).sqrt().unsqueeze(-1)
        trash_zero = torch.zeros(*latent.shape, 2**self.n_trash - 1, dtype=latent.dtype, device=latent.device)
        reset = torch.cat([latent.unsqueeze(-1), trash_zero], dim=-1).reshape(len(psi), -1)
        return decoder(self.n_qubits)(reset, self.theta), fid


def fidelity_loss(fid: Tensor) -> Tensor:
    """1 − mean trash fidelity on clean data (Romero et al. 2017's cost; the paper's Eq. number unknown)."""
    return 1.0 - fid.mean()
