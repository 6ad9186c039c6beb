"""Pluggable word encoders. Each maps a batch of sentences to vectors ``[B, 1 + T, D]`` (position 0
is the root) and a mask ``[B, 1 + T]``.

* :class:`ScratchEncoder`: trained from scratch; word embeddings (with word dropout to UNK) plus
  hashed character n-gram embeddings (so unseen spellings share pieces with seen ones), beside a
  character CNN's vector, then a BiLSTM.
* :class:`TransformerEncoder`: a transformers model (mBERT / XLM-R) loaded from a local path only;
  each word is its first sub-word's vector, the root is the first special token's.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn

from advfrontier.shared.data import DataNotFoundError
from advfrontier.vacai.conllu_io import Sentence


def char_ngrams(word: str, n_min: int, n_max: int, buckets: int) -> list[int]:
    """Hashed character n-grams of ``<word>`` (crc32, stable across processes)."""
    w = f"<{word.lower()}>"
    grams = [w[i : i + n] for n in range(n_min, n_max + 1) for i in range(len(w) - n + 1)]
    return [zlib.crc32(g.encode()) % buckets for g in grams] or [0]


class CharCNN(nn.Module):
    """A word's characters -> one vector: embeddings, a width-3 convolution, max over positions."""

    def __init__(self, chars: dict[str, int], dim: int, max_chars: int = 20) -> None:
        super().__init__()
        self.chars, self.max_chars = chars, max_chars
        self.emb = nn.Embedding(len(chars) + 2, dim, padding_idx=0)  # 0 pad, 1 unknown character
        self.conv = nn.Conv1d(dim, dim, kernel_size=3, padding=1)

    def forward(self, words: Sequence[str]) -> torch.Tensor:
        device = self.emb.weight.device
        ids = torch.zeros(len(words), self.max_chars, dtype=torch.long)
        for i, w in enumerate(words):
            cs = [self.chars.get(c, 1) for c in w[: self.max_chars]]
            ids[i, : len(cs)] = torch.tensor(cs)
        x = self.emb(ids.to(device)).transpose(1, 2)
        h = torch.relu(self.conv(x)).masked_fill((ids == 0).to(device).unsqueeze(1), float("-inf"))
        return h.max(dim=2).values.clamp_min(0.0)  # every word has >= 1 character


class ScratchEncoder(nn.Module):
    """Word + hashed character n-gram embeddings (+ a character CNN) and a BiLSTM, trained from scratch.

    The vocabularies come from ``train`` or, when loading a saved model, from ``vocab``/``chars``.
    """

    def __init__(
        self,
        train: Sequence[Sentence] = (),
        emb_dim: int = 64,
        hidden: int = 64,
        layers: int = 1,
        buckets: int = 4096,
        ngram: tuple[int, int] = (2, 4),
        word_dropout: float = 0.25,
        min_count: int = 2,
        char_dim: int = 0,
        vocab: dict[str, int] | None = None,
        chars: dict[str, int] | None = None,
    ) -> None:
        super().__init__()
        counts = Counter(f.lower() for s in train for f in s.forms)
        if vocab is None:
            kept = sorted(w for w, c in counts.items() if c >= min_count)
            vocab = {w: i + 2 for i, w in enumerate(kept)}
        if chars is None:
            chars = {c: i + 2 for i, c in enumerate(sorted({c for s in train for f in s.forms for c in f}))}
        self.vocab, self.chars = vocab, chars
        self.word_emb = nn.Embedding(len(self.vocab) + 2, emb_dim, padding_idx=0)  # 0 pad, 1 unk
        self.char_emb = nn.EmbeddingBag(buckets, emb_dim, mode="mean")
        self.char_cnn = CharCNN(chars, char_dim) if char_dim > 0 else None
        self.root = nn.Parameter(torch.zeros(emb_dim + char_dim))
        self.lstm = nn.LSTM(emb_dim + char_dim, hidden, layers, batch_first=True, bidirectional=True)
        self.buckets, self.ngram, self.word_dropout = buckets, ngram, word_dropout
        self.out_dim = 2 * hidden
        self.hparams = {
            "emb_dim": emb_dim,
            "hidden": hidden,
            "layers": layers,
            "buckets": buckets,
            "ngram": list(ngram),
            "word_dropout": word_dropout,
            "char_dim": char_dim,
        }
        self._gram_cache: dict[str, list[int]] = {}

    def _grams(self, word: str) -> list[int]:
        if word not in self._gram_cache:
            self._gram_cache[word] = char_ngrams(word, *self.ngram, self.buckets)
        return self._gram_cache[word]

    def forward(self, batch: Sequence[Sentence]) -> tuple[torch.Tensor, torch.Tensor]:
        device = self.root.device
        lengths = [len(s) for s in batch]
        t = max(lengths)
        ids = torch.zeros(len(batch), t, dtype=torch.long)
        flat, offsets, words = [], [], []
        for b, s in enumerate(batch):
            for i, f in enumerate(s.forms):
                ids[b, i] = self.vocab.get(f.lower(), 1)
                offsets.append(len(flat))
                flat.extend(self._grams(f))
                words.append(f)
        ids = ids.to(device)
        if self.training and self.word_dropout > 0:
            drop = torch.rand(ids.shape, device=device) < self.word_dropout
            ids = torch.where(drop & (ids > 0), torch.ones_like(ids), ids)
        grams = self.char_emb(torch.tensor(flat, device=device), torch.tensor(offsets, device=device))
        mask = torch.zeros(len(batch), t, dtype=torch.bool, device=device)
        for b, n in enumerate(lengths):
            mask[b, :n] = True
        x = self.word_emb(ids) + _scatter(grams, mask, grams.shape[-1])
        if self.char_cnn is not None:
            cnn = self.char_cnn(words)
            x = torch.cat([x, _scatter(cnn, mask, cnn.shape[-1])], dim=-1)
        x = torch.cat([self.root.expand(len(batch), 1, -1), x], dim=1)
        packed = nn.utils.rnn.pack_padded_sequence(
            x, torch.tensor(lengths) + 1, batch_first=True, enforce_sorted=False
        )
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=t + 1)
        full_mask = torch.cat([torch.ones(len(batch), 1, dtype=torch.bool, device=device), mask], dim=1)
        return h, full_mask


def _scatter(rows: torch.Tensor, mask: torch.Tensor, dim: int) -> torch.Tensor:
    """Place ``rows`` (one per True in ``mask``, row-major) into a zero tensor ``[*mask.shape, dim]``."""
    out = rows.new_zeros(*mask.shape, dim)
    out[mask] = rows
    return out


class TransformerEncoder(nn.Module):
    """A local transformers encoder; first-sub-word pooling; never downloads."""

    def __init__(self, path: str | Path, max_length: int = 256) -> None:
        super().__init__()
        from transformers import AutoModel, AutoTokenizer

        path = Path(path)
        if not (path / "config.json").exists():
            raise DataNotFoundError(
                f"encoder weights: missing {path / 'config.json'}.\n  Get bert-base-multilingual-cased (or "
                "xlm-roberta-base) from https://huggingface.co with `huggingface-cli download` on a machine "
                f"with network\n  and place its files (config.json, weights, tokenizer) in {path}"
            )
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True)
        self.max_length = max_length
        self.out_dim = int(self.model.config.hidden_size)

    def forward(self, batch: Sequence[Sentence]) -> tuple[torch.Tensor, torch.Tensor]:
        device = next(self.model.parameters()).device
        enc = self.tokenizer(
            [list(s.forms) for s in batch],
            is_split_into_words=True,
            truncation=True,
            max_length=self.max_length,
            padding=True,
            return_tensors="pt",
        )
        hidden = self.model(**{k: v.to(device) for k, v in enc.items()}).last_hidden_state
        t = max(len(s) for s in batch)
        index = torch.zeros(len(batch), t + 1, dtype=torch.long)
        mask = torch.zeros(len(batch), t + 1, dtype=torch.bool)
        for b, s in enumerate(batch):
            first: dict[int, int] = {}
            for pos, w in enumerate(enc.word_ids(b)):
                if w is not None and w not in first:
                    first[w] = pos
            last = max(first.values(), default=0)
            mask[b, : len(s) + 1] = True
            for i in range(len(s)):  # words cut off by truncation reuse the last kept sub-word
                index[b, i + 1] = first.get(i, last)
        index = index.to(device)
        h = torch.gather(hidden, 1, index.unsqueeze(-1).expand(-1, -1, hidden.shape[-1]))
        return h, mask.to(device)
