"""FD-loss fine-tuning with no teacher and no discriminator fits a Gaussian target; lr schedule."""

from __future__ import annotations

import itertools

import pytest
import torch

from advfrontier.frechet_loss.fd import Reference, frechet_distance
from advfrontier.frechet_loss.finetune import FDTrain, finetune, lr_at


@pytest.mark.parametrize("mode", ["queue", "ema"])
def test_linear_generator_reaches_the_target_gaussian(mode: str) -> None:
    d = 3
    g = torch.Generator().manual_seed(0)
    a_true = torch.tensor([[1.0, 0.0, 0.0], [0.5, 0.7, 0.0], [0.0, -0.4, 0.3]])
    ref = Reference.of(torch.tensor([1.0, -2.0, 0.5]), a_true @ a_true.T)
    a = torch.nn.Parameter(0.1 * torch.eye(d))
    b = torch.nn.Parameter(torch.zeros(d))
    cfg = FDTrain(
        steps=600,
        batch=16,
        lr=0.02,
        queue=256 if mode == "queue" else 0,
        ema_beta=0.0 if mode == "queue" else 0.95,
    )
    fd0 = float(frechet_distance(b.detach().double(), (a @ a.T).detach().double(), ref))
    finetune(
        [a, b],
        lambda z: z @ a.T + b,
        {"id": lambda x: x},
        {"id": ref},
        lambda n: torch.randn(n, d, generator=g),
        cfg,
    )
    fd1 = float(frechet_distance(b.detach().double(), (a @ a.T).detach().double(), ref))
    assert fd0 > 3.0 and fd1 < 0.05 * fd0 and fd1 < 0.15


def test_lr_schedule_warms_up_then_decays_to_zero() -> None:
    cfg = FDTrain(steps=100, batch=4, lr=1.0, queue=8, warmup=10)
    lrs = [lr_at(s, cfg) for s in range(100)]
    assert lrs[9] == pytest.approx(1.0) and lrs[0] == pytest.approx(0.1)
    assert all(x >= y for x, y in itertools.pairwise(lrs[10:])) and lrs[-1] < 1e-3


def test_config_rejects_ambiguous_statistics() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        FDTrain(steps=1, batch=4, lr=1.0, queue=8, ema_beta=0.9)
    with pytest.raises(ValueError, match="at least one batch"):
        FDTrain(steps=1, batch=16, lr=1.0, queue=8)
