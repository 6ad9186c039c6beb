"""The losses of REACT against their equations."""

import math

import torch
import torch.nn.functional as F

from advfrontier.fight_poison.losses import MGT, acl_loss, attacker_loss, detector_loss, pbc_loss


def test_pbc_closed_form_on_known_angles():
    a = torch.tensor([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    b = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0], [1.0, 1.0]])  # cos = 0, 1, 1, 1/√2
    labels = torch.tensor([MGT, MGT, 0, 0])
    per = [1 - 0.1 - 0.0, 0.0, 1.0 - 0.3, 1 / math.sqrt(2) - 0.3]
    assert torch.isclose(pbc_loss(a, b, labels, 0.1, 0.3), torch.tensor(sum(per) / 4))


def test_pbc_gradient_matches_finite_differences():
    torch.manual_seed(0)
    a = torch.randn(3, 5, dtype=torch.double, requires_grad=True)
    b = torch.randn(3, 5, dtype=torch.double)
    labels = torch.tensor([0, 1, 1])
    assert torch.autograd.gradcheck(lambda x: pbc_loss(x, b, labels, 0.1, -1.0), (a,))


def test_acl_is_ce_plus_alpha_mgt_ce():
    torch.manual_seed(0)
    lo, adv, y = torch.randn(4, 2), torch.randn(4, 2), torch.tensor([0, 1, 0, 1])
    want = -F.log_softmax(lo, -1)[range(4), y].mean() - 0.5 * F.log_softmax(adv, -1)[:, MGT].mean()
    assert torch.isclose(acl_loss(lo, y, adv, 0.5), want)


def test_attacker_loss_follows_target_label():
    lo = torch.tensor([[2.0, 0.0]])
    assert attacker_loss(lo, torch.tensor([0])) < attacker_loss(lo, torch.tensor([1]))


def test_detector_loss_without_pbc_is_acl():
    torch.manual_seed(1)
    lo, adv, h, hadv, y = (
        torch.randn(3, 2),
        torch.randn(3, 2),
        torch.randn(3, 4),
        torch.randn(3, 4),
        torch.tensor([0, 1, 1]),
    )
    assert torch.isclose(detector_loss(lo, h, y, adv, hadv, 0.5, 0.0, 0.1, 0.3), acl_loss(lo, y, adv, 0.5))
    full = detector_loss(lo, h, y, adv, hadv, 0.5, 1.2, 0.1, 0.3)
    assert torch.isclose(full, acl_loss(lo, y, adv, 0.5) + 1.2 * pbc_loss(h, hadv, y, 0.1, 0.3))
