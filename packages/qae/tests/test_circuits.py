"""Circuits against closed forms and an independent NumPy state-vector simulation."""

from __future__ import annotations

import math

import numpy as np
import torch

from advfrontier.qae.circuits import amplitude_state, classifier, decoder, encoder, n_qubits_for


def _rot(phi: float, theta: float, omega: float) -> np.ndarray:
    """PennyLane's Rot(φ, θ, ω) = RZ(ω) RY(θ) RZ(φ)."""
    rz = lambda a: np.diag([np.exp(-0.5j * a), np.exp(0.5j * a)])  # noqa: E731
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return rz(omega) @ np.array([[c, -s], [s, c]]) @ rz(phi)


def _on_wire(gate: np.ndarray, wire: int, n: int) -> np.ndarray:
    mats = [gate if w == wire else np.eye(2) for w in range(n)]
    out = mats[0]
    for m in mats[1:]:
        out = np.kron(out, m)
    return out


def _cnot(control: int, target: int, n: int) -> np.ndarray:
    dim = 2**n
    u = np.zeros((dim, dim))
    for i in range(dim):
        bits = [(i >> (n - 1 - w)) & 1 for w in range(n)]  # wire 0 is the most significant bit
        if bits[control]:
            bits[target] ^= 1
        j = sum(b << (n - 1 - w) for w, b in enumerate(bits))
        u[j, i] = 1
    return u


def _sel_numpy(weights: np.ndarray, n: int) -> np.ndarray:
    """StronglyEntanglingLayers as a matrix: Rot on each wire, CNOT(i, i+r mod n), r = l mod (n−1) + 1."""
    u = np.eye(2**n, dtype=complex)
    for layer, w in enumerate(weights):
        for q in range(n):
            u = _on_wire(_rot(*w[q]), q, n) @ u
        r = layer % (n - 1) + 1
        for q in range(n):
            u = _cnot(q, (q + r) % n, n) @ u
    return u


def test_one_qubit_expectation_matches_bloch_closed_form() -> None:
    # |ψ⟩ = a|0⟩ + b|1⟩ real; Rot(φ, θ, ω): ⟨Z⟩ = (a² − b²) cos θ − 2ab cos φ sin θ
    phi = torch.tensor([[[0.7, 1.1, -0.4]]], dtype=torch.float64)
    psi = amplitude_state(torch.tensor([[0.3, 0.8], [1.0, 0.0], [0.5, 0.5]]))
    out = classifier(1, 1)(psi, phi)[:, 0]
    a, b = psi[:, 0], psi[:, 1]
    expected = (a**2 - b**2) * math.cos(1.1) - 2 * a * b * math.cos(0.7) * math.sin(1.1)
    torch.testing.assert_close(out, expected)


def test_encoder_state_matches_numpy_state_vector() -> None:
    rng = np.random.default_rng(0)
    n = 3
    weights = rng.uniform(-np.pi, np.pi, size=(2, n, 3))
    psi = amplitude_state(torch.rand(4, 2**n))
    ours = encoder(n)(psi, torch.tensor(weights)).numpy()
    ref = psi.numpy() @ _sel_numpy(weights, n).T
    np.testing.assert_allclose(ours, ref, atol=1e-10)


def test_classifier_expectations_match_numpy() -> None:
    rng = np.random.default_rng(1)
    n = 3
    weights = rng.uniform(-np.pi, np.pi, size=(3, n, 3))
    psi = amplitude_state(torch.rand(5, 2**n))
    out = classifier(n, 2)(psi, torch.tensor(weights)).numpy()
    state = psi.numpy() @ _sel_numpy(weights, n).T
    for k in range(2):
        z = np.array([1 - 2 * ((i >> (n - 1 - k)) & 1) for i in range(2**n)])
        np.testing.assert_allclose(out[:, k], (np.abs(state) ** 2) @ z, atol=1e-10)


def test_decoder_inverts_encoder() -> None:
    theta = torch.randn(3, 4, 3, dtype=torch.float64)
    psi = amplitude_state(torch.rand(6, 16))
    back = decoder(4)(encoder(4)(psi, theta), theta)
    torch.testing.assert_close(back, psi.to(back.dtype))


def test_amplitude_encoding_is_normalised_and_scale_invariant() -> None:
    x = torch.rand(7, 1, 4, 4)
    psi = amplitude_state(x)
    torch.testing.assert_close(psi.norm(dim=1), torch.ones(7, dtype=torch.float64))
    torch.testing.assert_close(amplitude_state(0.3 * x), psi)
    assert n_qubits_for(64) == 6 and n_qubits_for(1024) == 10
