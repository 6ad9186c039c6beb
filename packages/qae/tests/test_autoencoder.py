"""Quantum autoencoder: trash-fidelity invariants, purification as a projection, gradients vs differences."""

from __future__ import annotations

import pytest
import torch

from advfrontier.qae.autoencoder import QuantumAutoencoder, fidelity_loss
from advfrontier.qae.circuits import amplitude_state, decoder, encoder
from advfrontier.qae.classifier import QuantumClassifier, classification_loss


def _qae(n: int = 4, k: int = 2, layers: int = 2) -> QuantumAutoencoder:
    torch.manual_seed(0)
    qae = QuantumAutoencoder(n, k, layers)
    with torch.no_grad():
        qae.theta.uniform_(-3, 3)
    return qae


def test_trash_fidelity_is_probability_of_trash_zero() -> None:
    qae = _qae()
    psi = amplitude_state(torch.rand(8, 16))
    fid = qae.trash_fidelity(psi)
    state = encoder(4)(psi, qae.theta)
    # trash = last 2 wires = the 2 least significant bits: indices ≡ 0 mod 4
    expected = state.abs().pow(2)[:, ::4].sum(1)
    torch.testing.assert_close(fid, expected)
    assert bool(((fid >= 0) & (fid <= 1 + 1e-12)).all())


def test_code_space_states_have_unit_fidelity_and_are_fixed_by_purification() -> None:
    qae = _qae()
    latent = torch.randn(5, 4, dtype=torch.complex128)
    latent = latent / latent.norm(dim=1, keepdim=True)
    code = torch.zeros(5, 4, 4, dtype=torch.complex128)
    code[..., 0] = latent
    psi = decoder(4)(code.reshape(5, 16), qae.theta)  # U†(latent ⊗ |00⟩)
    torch.testing.assert_close(qae.trash_fidelity(psi), torch.ones(5, dtype=torch.float64))
    purified, fid = qae.purify(psi)
    torch.testing.assert_close(purified, psi)
    torch.testing.assert_close(fid, torch.ones(5, dtype=torch.float64))


def test_purification_is_a_normalised_idempotent_projection() -> None:
    qae = _qae()
    psi = amplitude_state(torch.rand(6, 16))
    once, fid = qae.purify(psi)
    assert bool((fid < 1 - 1e-3).all())  # random inputs are not in the code space
    torch.testing.assert_close(once.norm(dim=1), torch.ones(6, dtype=torch.float64))
    twice, fid2 = qae.purify(once)
    torch.testing.assert_close(twice, once)
    torch.testing.assert_close(fid2, torch.ones(6, dtype=torch.float64))
    # the overlap ⟨ψ|P(ψ)⟩ of a projection, renormalised, is √F
    torch.testing.assert_close((psi.to(once.dtype).conj() * once).sum(1).abs(), fid.sqrt())


def test_rejects_bad_trash_count() -> None:
    with pytest.raises(ValueError, match="trash"):
        QuantumAutoencoder(4, 4, 1)


def test_fidelity_loss_gradient_matches_finite_differences() -> None:
    qae = _qae(3, 1, 2)
    psi = amplitude_state(torch.rand(5, 8))
    loss = fidelity_loss(qae.trash_fidelity(psi))
    (grad,) = torch.autograd.grad(loss, qae.theta)
    h = 1e-6
    for idx in [(0, 0, 0), (0, 1, 1), (1, 2, 2), (1, 0, 1)]:
        with torch.no_grad():
            qae.theta[idx] += h
            up = fidelity_loss(qae.trash_fidelity(psi))
            qae.theta[idx] -= 2 * h
            down = fidelity_loss(qae.trash_fidelity(psi))
            qae.theta[idx] += h
        assert abs(float(grad[idx]) - float((up - down) / (2 * h))) < 1e-6


def test_input_gradient_through_purification_matches_finite_differences() -> None:
    """The attack's gradient d CE(clf(P(ψ(x)))) / dx, checked coordinate by coordinate."""
    torch.manual_seed(1)
    qae, clf = _qae(3, 1, 2), QuantumClassifier(3, 2, 2)
    x = torch.rand(2, 8, dtype=torch.float64) * 0.8 + 0.1
    y = torch.tensor([0, 1])

    def loss_of(inp: torch.Tensor) -> torch.Tensor:
        return classification_loss(clf.forward_state(qae.purify(amplitude_state(inp))[0]), y)

    xg = x.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_of(xg), xg)
    assert float(grad.abs().max()) > 1e-4
    h = 1e-6
    for i, j in [(0, 0), (0, 5), (1, 3), (1, 7)]:
        e = torch.zeros_like(x)
        e[i, j] = h
        with torch.no_grad():
            fd = (loss_of(x + e) - loss_of(x - e)) / (2 * h)
        assert abs(float(grad[i, j]) - float(fd)) < 1e-6
