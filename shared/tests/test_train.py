"""Trainers: exact resume after a kill, objective pieces against their definitions."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from advfrontier.shared.models import Normalize, SmallCNN
from advfrontier.shared.threat import linf
from advfrontier.shared.train import MadryPGD, Trades, TrainConfig, fit, mart_loss, trades_kl
from shared.tests.helpers import digits

CFG = TrainConfig(epochs=3, batch_size=128, lr=0.05)


class KilledError(Exception):
    pass


def test_killed_run_resumes_to_the_same_weights(tmp_path: Path) -> None:
    data = digits().train.subset(range(300))
    obj = MadryPGD(linf("0.1"), steps=2, step_size=0.05)

    torch.manual_seed(0)
    straight = SmallCNN(width=8, feature_dim=16)
    fit(straight, data, obj, CFG, seed=0)

    def die(epoch: int, loss: float) -> None:
        if epoch == 1:
            raise KilledError

    torch.manual_seed(0)
    first = SmallCNN(width=8, feature_dim=16)
    with pytest.raises(KilledError):
        fit(first, data, obj, CFG, seed=0, checkpoint_dir=tmp_path, on_epoch_end=die)
    assert (tmp_path / "last.pt").exists()
    torch.manual_seed(123)  # a new process: different init and RNG, all restored from the checkpoint
    resumed = SmallCNN(width=8, feature_dim=16)
    history = fit(resumed, data, obj, CFG, seed=0, checkpoint_dir=tmp_path)
    assert len(history) == 3
    for a, b in zip(straight.state_dict().values(), resumed.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_a_resumed_run_restores_the_extra_state_its_epochs_recorded(tmp_path: Path) -> None:
    class EpochLog:
        def __init__(self) -> None:
            self.losses: list[float] = []

        def end_epoch(self, epoch: int, loss: float) -> None:
            self.losses.append(loss)
            if killed and epoch == 1:
                raise KilledError

        def state_dict(self) -> dict:
            return {"losses": list(self.losses)}

        def load_state_dict(self, state: dict) -> None:
            self.losses = list(state["losses"])

    data = digits().train.subset(range(300))
    obj = MadryPGD(linf("0.1"), steps=2, step_size=0.05)
    killed = False
    torch.manual_seed(0)
    straight = EpochLog()
    fit(SmallCNN(width=8, feature_dim=16), data, obj, CFG, 0, on_epoch_end=straight.end_epoch)
    killed = True
    torch.manual_seed(0)
    first = EpochLog()
    with pytest.raises(KilledError):
        fit(SmallCNN(width=8, feature_dim=16), data, obj, CFG, 0, tmp_path, on_epoch_end=first.end_epoch,
            extra_state=first)  # fmt: skip
    killed = False
    resumed = EpochLog()  # a new process: empty, filled from the checkpoint
    fit(SmallCNN(width=8, feature_dim=16), data, obj, CFG, 0, tmp_path, on_epoch_end=resumed.end_epoch,
        extra_state=resumed)  # fmt: skip
    assert resumed.losses == pytest.approx(straight.losses) and len(resumed.losses) == CFG.epochs


def test_checkpoint_of_another_config_is_not_reused(tmp_path: Path) -> None:
    data = digits().train.subset(range(128))
    model = SmallCNN(width=8, feature_dim=16)
    fit(model, data, MadryPGD(linf("0.1"), 1, 0.1), TrainConfig(epochs=1, batch_size=64), 0, tmp_path)
    hist = fit(
        model, data, MadryPGD(linf("0.1"), 1, 0.1), TrainConfig(epochs=2, batch_size=64, lr=0.01), 0, tmp_path
    )
    assert len(hist) == 2  # started from scratch: the fingerprint differs


def test_trades_kl_is_zero_on_equal_inputs_and_positive_otherwise() -> None:
    z = torch.randn(5, 10)
    assert torch.allclose(trades_kl(z, z), torch.zeros(5), atol=1e-6)
    assert (trades_kl(z + torch.randn(5, 10), z) > 0).all()
    p, q = F.softmax(z, 1), F.softmax(z + 1.0 * torch.arange(10), 1)
    assert torch.allclose(trades_kl(torch.log(q), z), (p * (p.log() - q.log())).sum(1), atol=1e-5)


def test_trades_adversary_increases_kl_within_budget() -> None:
    torch.manual_seed(0)
    model = SmallCNN(width=8, feature_dim=16).eval()
    x = digits().test.x[:32]
    t = linf("0.1")
    x_adv = Trades(t, steps=5, step_size=0.025).adversary(model, x)
    assert (x_adv - x).abs().max() <= 0.1 + 1e-6
    with torch.no_grad():
        kl_adv = trades_kl(model(x_adv), model(x)).mean()
        kl_rand = trades_kl(model((x + 0.1 * torch.randn_like(x).sign()).clamp(0, 1)), model(x)).mean()
    assert kl_adv > kl_rand


def test_mart_loss_closed_form() -> None:
    za, zc = torch.tensor([[2.0, 0.0, 1.0]]), torch.tensor([[1.0, 0.0, 0.0]])
    y = torch.tensor([0])
    pa, pc = F.softmax(za, 1)[0], F.softmax(zc, 1)[0]
    bce = -torch.log(pa[0]) - torch.log(1.0001 - pa[2])
    kl = (pc * (pc.log() - pa.log())).sum()
    expected = bce + 6.0 * kl * (1 - pc[0])
    assert mart_loss(za, zc, y, beta=6.0) == pytest.approx(expected.item(), rel=1e-5)


def test_normalize_layer_is_per_channel_affine() -> None:
    n = Normalize([0.5, 0.25], [0.5, 2.0])
    x = torch.ones(1, 2, 2, 2)
    out = n(x)
    assert torch.allclose(out[0, 0], torch.ones(2, 2)) and torch.allclose(
        out[0, 1], torch.full((2, 2), 0.375)
    )
    with pytest.raises(ValueError, match="positive"):
        Normalize([0.0], [0.0])
