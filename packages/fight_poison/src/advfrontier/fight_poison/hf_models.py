"""Paper-scale models from local directories: D_tar (RoBERTa-base), D_sur (ALBERT-v2), G (Llama-3.2-3B).

Nothing is downloaded: a missing directory raises DataNotFoundError naming it and where to get it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from advfrontier.shared.data.errors import DataNotFoundError

HUB = "https://huggingface.co/"


def model_dir(name: str, data_dir: str | Path | None) -> Path:
    """``name`` as a directory: absolute, or under ``data_dir``/``$ADVFRONTIER_DATA``/models."""
    import os

    p = Path(name).expanduser()
    if not p.is_absolute():
        base = data_dir if data_dir is not None else os.environ.get("ADVFRONTIER_DATA", ".")
        p = Path(base) / "models" / name
    if not (p / "config.json").exists():
        raise DataNotFoundError(
            f"model weights: missing {p / 'config.json'}.\n  Get them from {HUB}{Path(name).name} "
            f"(e.g. `huggingface-cli download <org>/{Path(name).name} --local-dir {p}`)\n"
            f"  and place them so that {p}/config.json and the weight files exist"
        )
    return p


class HFClassifier(nn.Module):
    """A sequence classifier; ``forward(texts) -> (logits, last-layer [CLS] vector)``."""

    def __init__(self, path: Path, max_length: int, device: str) -> None:
        super().__init__()
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.tok = AutoTokenizer.from_pretrained(path)
        self.model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=2).to(device)
        self.max_length, self.device = max_length, device

    def forward(self, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        b = self.tok(
            list(texts), padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        out = self.model(**b.to(self.device), output_hidden_states=True)
        return out.logits, out.hidden_states[-1][:, 0]


class HFSurrogate(HFClassifier):
    """D_sur: ``forward(texts) -> logits``."""

    def forward(self, texts: Sequence[str]) -> torch.Tensor:  # type: ignore[override]
        return super().forward(texts)[0]


PROMPT = (
    "Rewrite the text below so that it reads like the human-written example and unlike the "
    "machine-generated example. Keep its meaning. Output only the rewritten text.\n\n"
    "Human-written example:\n{x_h}\n\nMachine-generated example:\n{x_m}\n\nText:\n{x}\n\nRewritten text:\n"
)
PROMPT_NO_RAG = (
    "Rewrite the text below so that it reads like human writing. Keep its meaning. "
    "Output only the rewritten text.\n\nText:\n{x}\n\nRewritten text:\n"
)


class HFRewriter:
    """G: an instruction LM prompted with Z(X; X_H, X_M); sampling at temperature/top-p (Table 2)."""

    def __init__(
        self, path: Path, max_new_tokens: int, temperature: float, top_p: float, device: str
    ) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.tok = AutoTokenizer.from_pretrained(path)
        self.model = AutoModelForCausalLM.from_pretrained(path).to(device).eval()
        self.max_new_tokens, self.temperature, self.top_p, self.device = (
            max_new_tokens,
            temperature,
            top_p,
            device,
        )

    def prompt(self, x: str, x_h: str | None, x_m: str | None) -> str:
        text = PROMPT_NO_RAG.format(x=x) if x_h is None else PROMPT.format(x=x, x_h=x_h, x_m=x_m)
        if getattr(self.tok, "chat_template", None):
            return self.tok.apply_chat_template(
                [{"role": "user", "content": text}], tokenize=False, add_generation_prompt=True
            )
        return text

    @torch.no_grad()
    def __call__(self, x: str, x_h: str | None, x_m: str | None, rng: np.random.Generator) -> str:
        torch.manual_seed(int(rng.integers(2**31)))
        enc = self.tok(self.prompt(x, x_h, x_m), return_tensors="pt")
        ids = {k: enc[k].to(self.device) for k in ("input_ids", "attention_mask")}
        eos = self.tok.eos_token_id if self.tok.eos_token_id is not None else self.tok.sep_token_id
        pad = self.tok.pad_token_id if self.tok.pad_token_id is not None else eos
        out = self.model.generate(
            **ids, do_sample=True, temperature=self.temperature, top_p=self.top_p,
            max_new_tokens=self.max_new_tokens, pad_token_id=pad, eos_token_id=eos,
        )  # fmt: skip
        text = self.tok.decode(out[0, ids["input_ids"].shape[1] :], skip_special_tokens=True).strip()
        return text or x
