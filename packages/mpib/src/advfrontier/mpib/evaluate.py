"""Evaluation on held-out speakers: ρ, identity leakage of the state code, size, latency."""

from __future__ import annotations

import numpy as np
import torch

from advfrontier.mpib.data import Corpus
from advfrontier.mpib.export import code_bits, cpu_latency_ms, export_bytes, exported_parameters
from advfrontier.mpib.metrics import eer, probe_accuracy, roc_auc, spearman, verification_scores
from advfrontier.mpib.model import TraitStateModel
from advfrontier.mpib.quant import distinct_codes, int_codes, saturation


@torch.no_grad()
def _codes(
    model: TraitStateModel, data: Corpus, batch: int = 256
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    zt, zs, pred = [], [], []
    dev = next(model.parameters()).device
    for i in range(0, len(data), batch):
        x = data.x[i : i + batch].to(dev)
        a, b = model.codes(x)
        zt.append(a.float().cpu())
        zs.append(b.float().cpu())
        pred.append(model.regressor(b).squeeze(-1).float().cpu())
    return torch.cat(zt).numpy(), torch.cat(zs).numpy(), torch.cat(pred).numpy()


def leakage(codes: np.ndarray, data: Corpus) -> dict[str, float]:
    """Speaker-verification EER and probe accuracy (%) of a code on held-out speakers, cross-session."""
    spk, ses = data.speaker.numpy(), data.session.numpy()
    gen, imp = verification_scores(codes, spk, ses)
    return {"eer": eer(gen, imp), "probe_acc": probe_accuracy(codes, spk, ses)}


def state_code_health(model: TraitStateModel, zs: np.ndarray) -> dict[str, float]:
    """Quantised state head only: % of code entries at the INT-b bounds, distinct code vectors."""
    bits = model.variant.state_bits
    if bits is None:
        return {}
    codes = int_codes(torch.from_numpy(zs), model.state.code_scale().detach().cpu(), bits)
    return {"state_sat": 100.0 * saturation(codes, bits), "state_codes": float(distinct_codes(codes))}


def evaluate(model: TraitStateModel, train: Corpus, held_out: Corpus, latency_reps: int) -> dict[str, float]:
    """All metrics of one model: held_out speakers never appear in train."""
    model.eval()
    zt, zs, pred = _codes(model, held_out)
    _, _, pred_tr = _codes(model, train)
    y, y_tr = held_out.agitation.numpy(), train.agitation.numpy()
    out = {"rho": spearman(pred, y)}
    out.update(leakage(zs, held_out))
    out.update(state_code_health(model, zs))
    out["trait_eer"] = leakage(zt, held_out)["eer"]
    # loss-threshold membership inference on the agitation regressor: members = training clips
    out["mia_auc"] = roc_auc(-((pred_tr - y_tr) ** 2), -((pred - y) ** 2))
    t_bits, s_bits = code_bits(model, held_out.x.to(next(model.parameters()).device))
    out["trait_bits"], out["state_bits"] = float(t_bits), float(s_bits)
    out["footprint_kib"] = len(export_bytes(model)) / 1024
    out["exported_params"] = float(exported_parameters(model))
    out["latency_ms"] = cpu_latency_ms(model, held_out.x, latency_reps)
    return out
