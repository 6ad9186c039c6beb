"""UAT-MC's training perturbation: the normalised step, the double backprop through the cosine, invariants."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from advfrontier.uatmc.losses import batch_bpr, coordination_objective
from advfrontier.uatmc.perturb import normalized_step, training_perturbation


def _objective(m, f_v, f_t, batch, d_v, d_t, ga):
    user, item = m.embed(f_v + d_v, f_t + d_t)
    l_b = batch_bpr(user, item, batch)
    return coordination_objective(l_b, d_v, d_t, ga) if ga else l_b


def test_normalized_step_has_norm_eps_and_direction_of_h():
    h = torch.randn(5, 16, dtype=torch.float64)
    f = F.normalize(torch.randn(5, 16, dtype=torch.float64), dim=1)
    s = normalized_step(h, f, 0.1)
    torch.testing.assert_close(s.norm(dim=1), torch.full((5,), 0.1, dtype=torch.float64))
    torch.testing.assert_close(F.cosine_similarity(s, h, dim=1), torch.ones(5, dtype=torch.float64))
    h1 = torch.zeros(1, 16, dtype=torch.float64)
    h1[0, 3] = -2.0
    assert normalized_step(h1, f[:1], 0.1).abs().max() <= 0.1 + 1e-12  # clipped to ±ε‖f‖


@pytest.mark.parametrize("ga", [0.0, 3.0])
@pytest.mark.parametrize("model", ["vbpr", "mmgcn"])
def test_ascent_direction_matches_finite_differences(ga, model, make_tiny):
    """h = ∇_δ J at δ = 0 (J includes the cosine of the modalities' gradients when λ_ga > 0)."""
    m, f_v, f_t, batch = make_tiny(model)
    d_v = torch.zeros_like(f_v, requires_grad=True)
    d_t = torch.zeros_like(f_t, requires_grad=True)
    h_v, h_t = torch.autograd.grad(_objective(m, f_v, f_t, batch, d_v, d_t, ga), (d_v, d_t))
    step = 1e-6
    for which, (i, j) in [("v", (1, 2)), ("t", (3, 0)), ("v", (4, 3))]:
        e = torch.zeros_like(f_v)
        e[i, j] = step

        def j_at(sign, which=which, e=e):
            a = torch.zeros_like(f_v, requires_grad=True)
            b = torch.zeros_like(f_t, requires_grad=True)
            return _objective(
                m, f_v + sign * e * (which == "v"), f_t + sign * e * (which == "t"), batch, a, b, ga
            )

        fd = (j_at(1.0) - j_at(-1.0)).item() / (2 * step)
        auto = (h_v if which == "v" else h_t)[i, j].item()
        assert fd == pytest.approx(auto, rel=1e-4, abs=1e-7)


def test_coordination_changes_the_perturbation_and_raises_the_cosine(make_tiny):
    m, f_v, f_t, batch = make_tiny()
    plain = training_perturbation(m, f_v, f_t, batch, 0.1, "vt", 0.0)
    coord = training_perturbation(m, f_v, f_t, batch, 0.1, "vt", 50.0)
    assert not torch.allclose(plain[0], coord[0])

    def mean_cos(d_v, d_t):
        a = d_v.clone().requires_grad_(True)
        b = d_t.clone().requires_grad_(True)
        user, item = m.embed(f_v + a, f_t + b)
        g_v, g_t = torch.autograd.grad(batch_bpr(user, item, batch), (a, b))
        return F.cosine_similarity(g_v, g_t, dim=1).mean().item()

    small = 1e-3  # first order: a step along ∇J with large λ_ga raises the cosine term
    cv, ct = (d * small / 0.1 for d in coord)
    pv, pt = (d * small / 0.1 for d in plain)
    assert mean_cos(cv, ct) > mean_cos(pv, pt)


def test_single_modality_and_no_parameter_gradients(make_tiny):
    m, f_v, f_t, batch = make_tiny()
    d_v, d_t = training_perturbation(m, f_v, f_t, batch, 0.1, "v", 0.0)
    assert d_t.abs().max() == 0 and d_v.abs().max() > 0
    batch = batch[:3]
    d_v, d_t = training_perturbation(m, f_v, f_t, batch, 0.1, "vt", 2.0)
    assert all(p.grad is None for p in m.parameters())  # unlike the released code (deviation Q3)
    items = torch.unique(batch[:, 1:])
    other = torch.ones(f_v.shape[0], dtype=torch.bool)
    other[items] = False
    assert d_v[other].abs().max() == 0  # VBPR: items outside the batch are not perturbed
    assert (d_v.norm(dim=1)[items] <= 0.1 + 1e-9).all()
    with pytest.raises(ValueError, match="both modalities"):
        training_perturbation(m, f_v, f_t, batch, 0.1, "t", 1.0)
