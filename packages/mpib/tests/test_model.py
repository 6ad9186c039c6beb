"""Gradient reversal, KL, precision schedule, pooling, the quantised state code, bit counts, export."""

import itertools
import struct

import pytest
import torch
from torch.distributions import Normal, kl_divergence

from advfrontier.mpib.config import SMOKE
from advfrontier.mpib.encoder import multiscale_pool
from advfrontier.mpib.export import code_bits, export_bytes, load_exported
from advfrontier.mpib.losses import kl_loss
from advfrontier.mpib.model import grad_reverse
from advfrontier.mpib.quant import int_codes
from advfrontier.mpib.train import bits_at, build_model


def _model(method, n_features=6, n_speakers=5):
    torch.manual_seed(0)
    m = build_model(SMOKE, method, n_features, n_speakers)
    x = torch.randn(16, 12, n_features)
    m.encoder.norm.fit(x)
    m.train()(x)  # calibrates the state head's code range
    return m.eval(), x


def test_gradient_reversal_flips_and_scales_the_gradient():
    x = torch.randn(4, 3, requires_grad=True)
    w = torch.randn(4, 3)
    (grad_reverse(x, 0.3) * w).sum().backward()
    assert torch.allclose(x.grad, -0.3 * w)
    assert torch.equal(grad_reverse(x, 0.3), x)


def test_kl_matches_torch_distributions():
    mu, logvar = torch.randn(7, 5), torch.randn(7, 5)
    ref = kl_divergence(Normal(mu, (0.5 * logvar).exp()), Normal(0.0, 1.0)).sum(1).mean()
    assert torch.allclose(kl_loss(mu, logvar), ref, atol=1e-5)


def test_precision_schedule_anneals_from_8_to_4_bits():
    b = [bits_at(e, 30, 8, 4, 0.5) for e in range(30)]
    assert b[0] == 8 and b[15:] == [4] * 15
    assert all(x >= y for x, y in itertools.pairwise(b))
    assert [bits_at(e, 30, 8, 4, 0.0) for e in range(3)] == [4, 4, 4]


def test_multiscale_pool_is_mean_and_std_of_pooled_frames():
    h = torch.randn(2, 3, 10)
    out = multiscale_pool(h, (1, 5))
    pooled = h.reshape(2, 3, 2, 5).mean(-1)
    ref = torch.cat(
        [h.mean(-1), h.std(-1, unbiased=False), pooled.mean(-1), pooled.std(-1, unbiased=False)], 1
    )
    assert torch.allclose(out, ref, atol=1e-6)


def test_mpib_state_code_has_sixteen_levels_and_trait_code_is_fp16():
    m, _ = _model("mpib")
    zt, zs = m.codes(torch.randn(64, 12, 6) * 3)
    s = m.state.code_scale()
    r = zs / s
    assert torch.allclose(r, r.round(), atol=1e-4) and r.min() >= -8 - 1e-4 and r.max() <= 7 + 1e-4
    assert torch.equal(zt, zt.half().float())
    w = m.state.lin.weight
    assert m.state(torch.zeros(1, w.shape[1])).shape == (1, SMOKE.state_dim)


def test_bit_counts_are_the_papers_8x_asymmetry():
    for method in ("mpib", "mpib_code_only"):
        m, x = _model(method)
        assert code_bits(m, x) == (64 * 16, 32 * 4)
    f, x = _model("fp32")
    assert code_bits(f, x) == (64 * 32, 32 * 32)


def test_export_round_trips_int4_weights_and_measures_bytes():
    m, _ = _model("mpib")
    data = export_bytes(m)
    back = load_exported(data)
    w = m.state.lin.weight.detach()
    scale = m.state.weight_scale()
    deq = int_codes(w, scale, 4).float() * scale.half().float()
    assert torch.allclose(back["state.lin.weight"], deq, atol=1e-6)
    assert torch.allclose(back["encoder.conv.0.weight"], m.encoder.conv[0].weight.detach().half().float())
    assert not any(k.startswith(("speaker.", "decoder.")) for k in back)
    (n,) = struct.unpack("<Q", data[:8])
    body = len(data) - 8 - n
    numel = {k: v.numel() for k, v in back.items()}
    expected = sum(2 * v for k, v in numel.items() if k != "state.lin.weight")
    expected += 2 * w.shape[0] + (w.numel() + 1) // 2
    assert body == expected
    c, _ = _model("mpib_code_only")  # FP16 state-head weights: 2 bytes each instead of half a byte
    assert torch.equal(
        load_exported(export_bytes(c))["state.lin.weight"], c.state.lin.weight.detach().half().float()
    )
    f, _ = _model("fp32")
    assert len(export_bytes(f)) > 1.9 * len(data) - 2 * n  # FP32 baseline: ~2× the FP16/INT4 body


class _DeviceTensor(torch.Tensor):
    """Stands in for a CUDA tensor on a CPU-only machine: ``.numpy()`` refuses as it does on a GPU, and
    ``.cpu()`` returns a plain host tensor."""

    def numpy(self, *args, **kwargs):
        raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() first.")

    def cpu(self, *args, **kwargs):
        return self.as_subclass(torch.Tensor)


def test_code_bits_and_evaluation_move_device_tensors_to_the_host():
    from advfrontier.mpib.data import Corpus
    from advfrontier.mpib.evaluate import evaluate

    m, x = _model("mpib")
    dx = x.as_subclass(_DeviceTensor)
    with pytest.raises(TypeError, match="numpy"):
        m.codes(dx)[0].numpy()  # model outputs stay "on the device"
    assert code_bits(m, dx) == (64 * 16, 32 * 4)
    n = len(x)
    held = Corpus(dx, torch.rand(n), torch.arange(n) % 4, (torch.arange(n) // 4) % 2)
    out = evaluate(m, held, held, latency_reps=1)
    assert out["state_bits"] == 128 and 0.0 <= out["state_sat"] <= 100.0
