"""The prose-perplexity utility: exp of the mean next-token NLL, over every window."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch
from torch import nn

from advfrontier.shared.lm.prose import perplexity, prose

V = 11


class _Tok:
    def __call__(self, text: str, return_tensors: str = "pt") -> dict[str, torch.Tensor]:
        return {"input_ids": torch.tensor([[ord(c) % V for c in text]])}


class _Uniform(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.zeros(1))

    def forward(self, input_ids: torch.Tensor) -> SimpleNamespace:
        return SimpleNamespace(logits=torch.zeros(*input_ids.shape, V) + self.w)


class _Oracle(_Uniform):
    """Puts almost all mass on the token that follows (it knows the text)."""

    def __init__(self, ids: torch.Tensor) -> None:
        super().__init__()
        self.ids = ids

    def forward(self, input_ids: torch.Tensor) -> SimpleNamespace:
        # windows are consecutive, so find where this one starts in the text
        n = input_ids.shape[1]
        for s in range(len(self.ids) - n + 1):
            if torch.equal(self.ids[s : s + n], input_ids[0]):
                nxt = self.ids[s + 1 : s + n + 1]
                logits = torch.full((1, n, V), -30.0)
                logits[0, torch.arange(len(nxt)), nxt] = 30.0
                return SimpleNamespace(logits=logits)
        raise AssertionError("window not found")


def test_uniform_model_has_perplexity_equal_to_the_vocabulary_size() -> None:
    assert perplexity(_Uniform(), _Tok(), "some held-out prose " * 20, window=16) == pytest.approx(V)


def test_a_model_that_knows_the_text_has_perplexity_one() -> None:
    text = "abcdefghij" * 7
    ids = _Tok()(text)["input_ids"][0]
    assert perplexity(_Oracle(ids), _Tok(), text, window=16) == pytest.approx(1.0, abs=1e-6)


def test_prose_is_two_distinct_english_passages() -> None:
    a, b = prose(500)
    assert len(a) == len(b) == 500 and a != b and a.count(" ") > 50
