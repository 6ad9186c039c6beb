"""Shared FGSM / PGD through PennyLane's gradients: budgets hold, the loss rises, purifiers are attackable."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from advfrontier.qae.autoencoder import QuantumAutoencoder
from advfrontier.qae.classifier import QuantumClassifier
from advfrontier.qae.defended import QAEDefended
from advfrontier.qae.evaluate import craft
from advfrontier.shared.attacks import pgd
from advfrontier.shared.threat import linf


def _models() -> tuple[QuantumClassifier, QAEDefended]:
    torch.manual_seed(0)
    clf, qae = QuantumClassifier(4, 2, 2, logit_scale=5.0), QuantumAutoencoder(4, 1, 2)
    for m in (clf, qae):
        m.requires_grad_(False)
    return clf, QAEDefended(qae, clf)


def test_attacks_respect_budget_and_domain() -> None:
    clf, qdef = _models()
    x, y = torch.rand(12, 1, 4, 4), torch.randint(0, 2, (12,))
    tm = linf("0.1")
    for model in (clf, qdef):
        adv = craft(model, x, y, tm, steps=5, step_size="1/40", seed=0, last_iterate=True)
        for x_adv in adv.values():
            assert float((x_adv - x).abs().max()) <= 0.1 + 1e-6
            assert float(x_adv.min()) >= 0 and float(x_adv.max()) <= 1
            assert float((x_adv - x).abs().max()) > 0.05  # the attack moved


def test_pgd_raises_the_loss_of_the_quantum_classifier_and_of_the_defence() -> None:
    clf, qdef = _models()
    x, y = torch.rand(16, 1, 4, 4), torch.randint(0, 2, (16,))
    for model in (clf, qdef):
        x_adv = pgd(model, x, y, linf("0.1"), steps=10, step_size=0.02, keep_best=False)
        with torch.no_grad():
            clean, adv = F.cross_entropy(model(x), y), F.cross_entropy(model(x_adv), y)
        assert float(adv) > float(clean) + 0.05
