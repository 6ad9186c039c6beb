"""On-device export: the inference path's weights serialised at their deployment precision, size measured.

Format (ours): 8-byte little-endian header length, a JSON header listing each tensor's name, storage
("fp32", "fp16" or "int4" packed two per byte with one FP16 scale per output row), shape and byte offset,
then the raw bytes. The speaker classifier, decoder and adversary are training-only and not exported.
"""

from __future__ import annotations

import io
import json
import statistics
import struct
import time

import numpy as np
import torch

from advfrontier.mpib.model import TraitStateModel
from advfrontier.mpib.quant import int_codes, pack_int4, unpack_int4

TRAINING_ONLY = ("speaker.", "decoder.", "adversary.")


def _inference_tensors(model: TraitStateModel) -> dict[str, torch.Tensor]:
    state = model.state_dict()
    return {k: v for k, v in state.items() if not k.startswith(TRAINING_ONLY) and v.dtype.is_floating_point}


def exported_parameters(model: TraitStateModel) -> int:
    """Trained scalars on the inference path (speaker classifier, decoder and adversary left out)."""
    return sum(p.numel() for k, p in model.named_parameters() if not k.startswith(TRAINING_ONLY))


def export_bytes(model: TraitStateModel) -> bytes:
    """Serialise the inference path: MP-IB in FP16 (INT4 state-head weights if quantised), baselines FP32."""
    quantised = model.variant.state_bits is not None
    base = "fp16" if quantised else "fp32"
    header, blob = [], io.BytesIO()
    for name, t in _inference_tensors(model).items():
        t = t.detach().cpu()
        entry = {"name": name, "shape": list(t.shape), "offset": blob.tell()}
        if quantised and model.variant.quant_weights and name == "state.lin.weight":
            scale = model.state.weight_scale().detach().cpu()
            codes = int_codes(t, scale, 4)
            blob.write(scale.half().numpy().tobytes())
            entry.update(storage="int4", scale_bytes=2 * scale.numel())
            blob.write(pack_int4(codes))
        else:
            dt = np.float16 if base == "fp16" else np.float32
            blob.write(t.numpy().astype(dt).tobytes())
            entry["storage"] = base
        header.append(entry)
    head = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(head)) + head + blob.getvalue()


def load_exported(data: bytes) -> dict[str, torch.Tensor]:
    """Read :func:`export_bytes` back to float tensors (INT4 weights dequantised with their scales)."""
    (n,) = struct.unpack("<Q", data[:8])
    header, body = json.loads(data[8 : 8 + n]), data[8 + n :]
    out = {}
    for e in header:
        shape, off, numel = e["shape"], e["offset"], int(np.prod(e["shape"]))
        if e["storage"] == "int4":
            sb = e["scale_bytes"]
            scale = torch.from_numpy(np.frombuffer(body[off : off + sb], np.float16).astype(np.float32))
            codes = unpack_int4(body[off + sb : off + sb + (numel + 1) // 2], numel).reshape(shape)
            out[e["name"]] = codes.float() * scale.reshape(-1, *([1] * (len(shape) - 1)))
        else:
            dt = np.float16 if e["storage"] == "fp16" else np.float32
            size = numel * np.dtype(dt).itemsize
            out[e["name"]] = torch.from_numpy(
                np.frombuffer(body[off : off + size], dt).astype(np.float32)
            ).reshape(shape)
    return out


def code_bits(model: TraitStateModel, x: torch.Tensor) -> tuple[int, int]:
    """Bits of one clip's (trait, state) code as stored: FP16/FP32 bytes, or packed INT4 levels, × 8."""
    with torch.no_grad():
        zt, zs = model.codes(x[:1])
        scale = model.state.code_scale().detach().cpu() if model.variant.state_bits is not None else None
    zt, zs = zt.detach().cpu(), zs.detach().cpu()  # device tensors (cuda) cannot go to NumPy directly
    trait = zt.half() if model.variant.trait_fp16 else zt.float()
    t_bits = 8 * len(trait.numpy().tobytes())
    if scale is not None:
        s_bits = 8 * len(pack_int4(int_codes(zs, scale, model.variant.state_bits)))  # type: ignore[arg-type]
    else:
        s_bits = 8 * len(zs.float().numpy().tobytes())
    return t_bits, s_bits


def cpu_latency_ms(model: TraitStateModel, x: torch.Tensor, reps: int) -> float:
    """Median wall time (ms) of the agitation path on one clip, CPU, current torch thread count."""
    model = model.cpu().eval()
    clip = x[:1].cpu()
    times = []
    with torch.inference_mode():
        model.predict(clip)
        for _ in range(reps):
            t0 = time.perf_counter()
            model.predict(clip)
            times.append(1000 * (time.perf_counter() - t0))
    return statistics.median(times)
