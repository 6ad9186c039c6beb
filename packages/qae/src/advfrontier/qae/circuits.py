"""PennyLane circuits (default.qubit, torch interface, backprop, batch broadcasting).

Wire 0 is the most significant bit of a state index (PennyLane's convention), so with the trash register
on the last k wires a state of n qubits reshapes to (batch, 2^(n-k) latent, 2^k trash).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pennylane as qml
import torch
from torch import Tensor

_TINY = 1e-12


def n_qubits_for(features: int) -> int:
    """Qubits whose 2^n amplitudes hold ``features`` values exactly (amplitude encoding)."""
    n = max(features - 1, 1).bit_length()
    if 2**n != features:
        raise ValueError(f"amplitude encoding needs 2^n features, got {features}")
    return n


def amplitude_state(x: Tensor) -> Tensor:
    """Amplitude encoding |ψ(x)⟩ = x/‖x‖ of images (B, ...) in [0, 1], as float64 (B, 2^n).

    An all-zero image has no amplitude encoding (x/‖x‖ is undefined): it raises a ValueError.
    """
    flat = x.flatten(1).to(torch.float64)
    norm = flat.norm(dim=1, keepdim=True)
    if bool((norm <= _TINY).any()):
        bad = torch.nonzero(norm.flatten() <= _TINY).flatten()[:5].tolist()
        raise ValueError(
            f"amplitude encoding needs a non-zero image; input(s) {bad} of the batch are all zero"
        )
    return flat / norm


def sel_shape(layers: int, n_qubits: int) -> tuple[int, int, int]:
    """Weight shape of StronglyEntanglingLayers: (layers, qubits, 3 rotation angles)."""
    return tuple(qml.StronglyEntanglingLayers.shape(n_layers=layers, n_wires=n_qubits))  # type: ignore[return-value]


def _device(n: int) -> qml.devices.Device:
    return qml.device("default.qubit", wires=n)


@cache
def encoder(n: int) -> Callable[[Tensor, Tensor], Tensor]:
    """``encoder(n)(psi, theta)`` = U(θ)|ψ⟩ as a complex (B, 2^n) state."""

    @qml.qnode(_device(n), interface="torch", diff_method="backprop")
    def circuit(psi: Tensor, theta: Tensor) -> Tensor:
        qml.StatePrep(psi, wires=range(n))
        qml.StronglyEntanglingLayers(theta, wires=range(n))
        return qml.state()

    return circuit


@cache
def decoder(n: int) -> Callable[[Tensor, Tensor], Tensor]:
    """``decoder(n)(psi, theta)`` = U(θ)†|ψ⟩ as a complex (B, 2^n) state."""

    @qml.qnode(_device(n), interface="torch", diff_method="backprop")
    def circuit(psi: Tensor, theta: Tensor) -> Tensor:
        qml.StatePrep(psi, wires=range(n))
        qml.adjoint(qml.StronglyEntanglingLayers)(theta, wires=range(n))
        return qml.state()

    return circuit


@cache
def classifier(n: int, n_out: int) -> Callable[[Tensor, Tensor], Tensor]:
    """``classifier(n, c)(psi, phi)`` = (⟨Z_0⟩, …, ⟨Z_{c-1}⟩) after V(φ)|ψ⟩, as a real (B, c) tensor."""
    if n_out > n:
        raise ValueError(f"{n_out} classes need at least {n_out} qubits, got {n}")

    @qml.qnode(_device(n), interface="torch", diff_method="backprop")
    def circuit(psi: Tensor, phi: Tensor) -> list[Tensor]:
        qml.StatePrep(psi, wires=range(n))
        qml.StronglyEntanglingLayers(phi, wires=range(n))
        return [qml.expval(qml.PauliZ(k)) for k in range(n_out)]

    def run(psi: Tensor, phi: Tensor) -> Tensor:
        out = torch.stack(list(circuit(psi, phi)), dim=-1)
        return out if out.dim() == 2 else out.unsqueeze(0)

    return run
