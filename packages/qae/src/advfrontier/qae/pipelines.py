"""Equal accounting: every purifier (none, CAE, QAE) with the same rejection options.

A pipeline maps [0, 1] images to logits and to its rejection signals, all differentiable so that attacks
can go through both: the logit difference Δ = z₍₁₎ − z₍₂₎ (every pipeline) and the purifier's own signal,
larger for inputs like clean data: the QAE's trash fidelity F (QAE++'s "encoding fidelity"), or, for the
CAE, the negative reconstruction error −‖CAE(x) − x‖²/d (the classical analogue). Rejection options per
pipeline (``RULES``): none; margin only; purifier signal only where the pipeline has one; both combined
(QAE++'s rule on the QAE). Every rule is calibrated on clean validation inputs at the same rejection rate
(confidence.fit_signal_rule).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advfrontier.qae.cae import ConvAutoencoder
from advfrontier.qae.classifier import QuantumClassifier
from advfrontier.qae.confidence import logit_margin
from advfrontier.qae.defended import CAEDefended, QAEDefended

PIPELINES: tuple[str, ...] = ("none", "cae", "qae")
RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    "none": ((), ("margin",)),
    "cae": ((), ("margin",), ("purifier",), ("purifier", "margin")),
    "qae": ((), ("margin",), ("purifier",), ("purifier", "margin")),
}
"""Signals each rejection rule uses, per pipeline (() = no rejection)."""
_SIGNAL_NAME = {"cae": "recon", "qae": "fidelity"}


def row_name(pipeline: str, rule: tuple[str, ...]) -> str:
    """Table row of a pipeline × rule: no_defence, cae_margin, qae_fidelity, qae_pp (QAE + F + Δ), …"""
    base = "no_defence" if pipeline == "none" else pipeline
    if not rule:
        return base
    if pipeline == "qae" and rule == ("purifier", "margin"):
        return "qae_pp"
    if rule == ("purifier", "margin"):
        return f"{base}_combined"
    return f"{base}_{'margin' if rule == ('margin',) else _SIGNAL_NAME[pipeline]}"


ROWS: tuple[str, ...] = tuple(row_name(p, r) for p in PIPELINES for r in RULES[p])


class Pipeline(nn.Module):
    """Purifier (or none) + classifier, returning logits and rejection signals."""

    def __init__(self, kind: str, clf: QuantumClassifier, purifier: nn.Module | None = None) -> None:
        super().__init__()
        if kind not in PIPELINES:
            raise ValueError(f"pipeline must be one of {PIPELINES}, got {kind!r}")
        self.kind, self.clf = kind, clf
        self.defended: nn.Module | None = None
        if kind == "qae":
            self.defended = QAEDefended(purifier, clf)  # type: ignore[arg-type]
        elif kind == "cae":
            assert isinstance(purifier, ConvAutoencoder)
            self.defended = CAEDefended(purifier, clf)

    def signals(self, x: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        """(logits, {"margin": Δ, "purifier": F or −reconstruction error}) of a batch."""
        if self.kind == "qae":
            assert isinstance(self.defended, QAEDefended)
            logits, fid = self.defended.purify_and_classify(x)
            return logits, {"margin": logit_margin(logits), "purifier": fid}
        if self.kind == "cae":
            assert isinstance(self.defended, CAEDefended)
            x_hat = self.defended.cae(x)
            logits = self.clf(x_hat)
            recon = -(x_hat - x).pow(2).flatten(1).mean(1).to(logits.dtype)
            return logits, {"margin": logit_margin(logits), "purifier": recon}
        logits = self.clf(x)
        return logits, {"margin": logit_margin(logits)}

    def forward(self, x: Tensor) -> Tensor:
        return self.signals(x)[0]


@torch.no_grad()
def collect(pipe: Pipeline, x: Tensor, batch_size: int = 256) -> tuple[Tensor, dict[str, Tensor]]:
    """Predictions and signals over a whole set, in batches, on the CPU."""
    preds: list[Tensor] = []
    sigs: dict[str, list[Tensor]] = {}
    for i in range(0, len(x), batch_size):
        logits, s = pipe.signals(x[i : i + batch_size])
        preds.append(logits.argmax(1).cpu())
        for k, v in s.items():
            sigs.setdefault(k, []).append(v.detach().cpu())
    return torch.cat(preds), {k: torch.cat(v) for k, v in sigs.items()}
