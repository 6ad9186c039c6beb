"""Set a model's train/eval mode for the duration of an attack, then restore every module's flag."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from torch import nn


@contextmanager
def model_mode(model: nn.Module, train: bool) -> Iterator[nn.Module]:
    """``with model_mode(model, train=False): ...`` then each submodule gets its own flag back."""
    saved = [(m, m.training) for m in model.modules()]
    model.train(train)
    try:
        yield model
    finally:
        for m, flag in saved:
            m.training = flag
