import pytest
import torch
import torch.nn.functional as F

from advfrontier.raat.augment import Augment
from advfrontier.raat.raat import Raat, raat_pp_cls_loss
from advfrontier.shared.models.small_cnn import SmallCNN
from advfrontier.shared.threat import linf
from advfrontier.shared.train import MadryPGD, Mart, mart_loss

NO_AUG = Augment(pad=0, flip=False)


def _batch(n: int = 16) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    return torch.rand(n, 1, 8, 8, generator=g), torch.randint(0, 10, (n,), generator=g)


def test_r1_without_dicar_is_two_view_pgd_at() -> None:
    model, (x, y) = SmallCNN(), _batch()
    raat = Raat(linf("0.1"), steps=3, step_size="1/40", r=1.0, dicar_weight=0.0, augment=NO_AUG)
    torch.manual_seed(5)
    ours = raat(model, x, y)
    torch.manual_seed(5)
    ref = MadryPGD(linf("0.1"), 3, "1/40")(model, torch.cat([x, x]), torch.cat([y, y]))
    assert float(ours.detach()) == pytest.approx(float(ref.detach()), rel=1e-6)


def test_raat_pp_r1_without_dicar_is_two_view_mart() -> None:
    model, (x, y) = SmallCNN(), _batch()
    raat = Raat(linf("0.1"), 3, "1/40", r=1.0, dicar_weight=0.0, base="mart", augment=NO_AUG)
    torch.manual_seed(5)
    ours = raat(model, x, y)
    torch.manual_seed(5)
    ref = Mart(linf("0.1"), 3, "1/40", beta=6.0)(model, torch.cat([x, x]), torch.cat([y, y]))
    assert float(ours.detach()) == pytest.approx(float(ref.detach()), rel=1e-6)


def test_raat_pp_terms_agree_with_shared_mart_loss() -> None:
    logits, clean, y = torch.randn(20, 10), torch.randn(20, 10), torch.randint(0, 10, (20,))
    assert float(raat_pp_cls_loss(logits, logits, clean, y, 6.0)) == pytest.approx(
        float(mart_loss(logits, clean, y, 6.0)), rel=1e-6
    )


def test_boundary_samples_are_trained_at_reduced_intensity(sign_model) -> None:
    # label 1, prediction 1 iff input > 0 (see conftest); view 1 and view 2 of two examples
    x = torch.tensor([0.1, 1.0, 0.1, -1.0]).view(-1, 1, 1, 1)
    x_adv = torch.tensor([-1.9, -1.0, 0.3, -0.5]).view(-1, 1, 1, 1)
    y = torch.ones(2, dtype=torch.long)
    raat = Raat(linf("10"), r=0.1, dicar_weight=0.0)
    # example 0 is a boundary sample (0.1 + 0.1·(−2) < 0): trained on −0.1, the others on x_adv
    x_tilde = torch.tensor([-0.1, -1.0, 0.3, -0.5]).view(-1, 1, 1, 1)
    expected = F.cross_entropy(sign_model(x_tilde), torch.ones(4, dtype=torch.long))
    assert float(raat.loss(sign_model, x, x_adv, y, m=0.8)) == pytest.approx(float(expected), rel=1e-6)
    assert float(raat.loss(sign_model, x, x_adv, y, m=0.8)) != pytest.approx(
        float(F.cross_entropy(sign_model(x_adv), torch.ones(4, dtype=torch.long)))
    )


def test_dicar_is_added_on_examples_correct_in_both_views(sign_model) -> None:
    x = torch.tensor([0.5, 0.2, 0.4, -0.3]).view(-1, 1, 1, 1)  # example 0 right twice, 1 once
    x_adv = x - 0.05
    y = torch.ones(2, dtype=torch.long)
    m = 0.75
    without = Raat(linf("1"), r=0.1, dicar_weight=0.0).loss(sign_model, x, x_adv, y, m)
    with_dicar = Raat(linf("1"), r=0.1, dicar_weight=2.0, temperature=0.5).loss(sign_model, x, x_adv, y, m)
    mix_in = m * 0.45 + (1 - m) * 0.35  # adversarial views of example 0
    mix_out = m * 0.5 + (1 - m) * 0.4  # clean logits of example 0, mixed
    pa = torch.softmax(torch.tensor([-mix_in, mix_in]) / 0.5, 0)
    pb = torch.softmax(torch.tensor([-mix_out, mix_out]) / 0.5, 0)
    mid = (pa + pb) / 2
    js = 0.5 * float((pa * (pa / mid).log()).sum() + (pb * (pb / mid).log()).sum())
    assert float(with_dicar - without) == pytest.approx(2.0 * js, rel=1e-4)


def test_step_lowers_the_raat_loss_and_respects_the_budget() -> None:
    model, (x, y) = SmallCNN(), _batch(32)
    raat = Raat(linf("0.1"), 3, "1/40", augment=Augment(pad=1, flip=False))
    views = torch.cat([raat.augment(x), raat.augment(x)])
    x_adv = raat.adversary(model, views, torch.cat([y, y]))
    assert float((x_adv - views).abs().max()) <= 0.1 + 1e-6
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    before = float(raat.loss(model, views, x_adv, y, 0.7).detach())
    for _ in range(5):
        opt.zero_grad()
        raat.loss(model, views, x_adv, y, 0.7).backward()
        opt.step()
    assert float(raat.loss(model, views, x_adv, y, 0.7).detach()) < before


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="base"):
        Raat(linf("0.1"), base="trades")
    with pytest.raises(ValueError, match="r must"):
        Raat(linf("0.1"), r=1.5)


class _TrainModeShift(torch.nn.Module):
    """Logits (−s, s) in eval mode; train mode adds 1 to class 0 (example 0 below: wrong)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = x.flatten(1).sum(1)
        return torch.stack([-s + (1.0 if self.training else 0.0), s], dim=1)


def test_dicar_set_comes_from_eval_mode_predictions() -> None:
    # in eval mode example 0 is right in both views; train-mode logits would call it wrong (empty set)
    model = _TrainModeShift().train()
    x = torch.tensor([0.5, 0.2, 0.4, -0.3]).view(-1, 1, 1, 1)
    y = torch.ones(2, dtype=torch.long)
    without = Raat(linf("1"), r=0.1, dicar_weight=0.0).loss(model, x, x - 0.05, y, 0.75)
    with_dicar = Raat(linf("1"), r=0.1, dicar_weight=1.0).loss(model, x, x - 0.05, y, 0.75)
    assert float(with_dicar - without) > 1e-4


def test_partition_log_counts_shares_per_epoch(sign_model) -> None:
    from advfrontier.raat.partition import PartitionLog

    log = PartitionLog()
    x = torch.tensor([0.1, 1.0, 0.1, -1.0]).view(-1, 1, 1, 1)  # as the boundary test: M, Bd, N = 1, 1, 2
    x_adv = torch.tensor([-1.9, -1.0, 0.3, -0.5]).view(-1, 1, 1, 1)
    raat = Raat(linf("10"), r=0.1, dicar_weight=0.0, log=log)
    raat.loss(sign_model, x, x_adv, torch.ones(2, dtype=torch.long), m=0.8)
    log.end_epoch(0, 0.0)
    assert log.epochs == [{"m": 25.0, "bd": 25.0, "n": 50.0}]
    assert log.metrics()["bd_share_final"] == 25.0 and log.metrics()["n_share_ep01"] == 50.0
