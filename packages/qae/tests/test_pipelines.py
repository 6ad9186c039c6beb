"""Equal accounting: the same rules for every purifier, calibrated alike; adaptive PGD through the
detector; all-zero inputs refused."""

from __future__ import annotations

import pytest
import torch

from advfrontier.qae.adaptive import adaptive_pgd, ce_objective, detector_objective, misclassified
from advfrontier.qae.autoencoder import QuantumAutoencoder
from advfrontier.qae.cae import ConvAutoencoder
from advfrontier.qae.circuits import amplitude_state
from advfrontier.qae.classifier import QuantumClassifier
from advfrontier.qae.confidence import fit_rule, fit_signal_rule
from advfrontier.qae.paper import PAPER
from advfrontier.qae.pipelines import ROWS, RULES, Pipeline, collect, row_name
from advfrontier.shared.threat import linf


def _parts():
    torch.manual_seed(0)
    clf, qae, cae = QuantumClassifier(4, 2, 2), QuantumAutoencoder(4, 1, 2), ConvAutoencoder(4)
    for m in (clf, qae, cae):
        m.requires_grad_(False)
    return clf, qae, cae


def test_every_purifier_gets_every_rule_it_can_have():
    assert set(ROWS) == {
        "no_defence", "no_defence_margin", "cae", "cae_margin", "cae_recon", "cae_combined", "qae",
        "qae_margin", "qae_fidelity", "qae_pp",
    }  # fmt: skip
    assert row_name("qae", ("purifier", "margin")) == "qae_pp"
    assert RULES["cae"] == RULES["qae"]  # the CAE gets QAE++'s options, with its own signal
    assert set(PAPER.methods) == set(ROWS)


def test_signal_rules_reject_the_same_clean_rate_and_combined_matches_qae_pp():
    g = torch.Generator().manual_seed(0)
    f, d = torch.rand(400, generator=g), torch.rand(400, generator=g) * 3
    for sig in ((f,), (d,), (f, d)):
        rule = fit_signal_rule(sig, 0.05)
        assert float(rule.reject(sig).double().mean()) == pytest.approx(0.05, abs=0.005)
    single = fit_signal_rule((d,), 0.1)  # one signal: a plain threshold at the 10 % clean quantile
    tau = d.sort().values[40]
    assert torch.equal(single.reject((d,)), d < tau)
    old, new = fit_rule(f, d, 0.05), fit_signal_rule((f, d), 0.05)
    assert torch.equal(old.reject(f, d), new.reject((f, d)))


def test_pipelines_give_logits_and_their_signals():
    clf, qae, cae = _parts()
    x = torch.rand(6, 1, 4, 4)
    for kind, keys in (
        ("none", {"margin"}),
        ("cae", {"margin", "purifier"}),
        ("qae", {"margin", "purifier"}),
    ):
        pipe = Pipeline(kind, clf, {"none": None, "cae": cae, "qae": qae}[kind])
        logits, sig = pipe.signals(x)
        assert set(sig) == keys and logits.shape == (6, 2)
    _, sig = collect(Pipeline("qae", clf, qae), x)
    assert torch.all((sig["purifier"] > 0) & (sig["purifier"] <= 1 + 1e-9))  # a fidelity
    _, sig = collect(Pipeline("cae", clf, cae), x)
    assert torch.allclose(sig["purifier"], -(cae(x) - x).pow(2).flatten(1).mean(1).double())


def test_adaptive_pgd_respects_the_budget_and_keeps_successful_iterates():
    clf, qae, _ = _parts()
    pipe = Pipeline("qae", clf, qae)
    x, y = torch.rand(10, 1, 4, 4) * 0.8 + 0.1, torch.randint(0, 2, (10,))
    tm = linf("0.1")
    g = torch.Generator().manual_seed(0)
    adv = adaptive_pgd(pipe, x, y, tm, 8, "1/40", ce_objective, misclassified, g)
    assert float((adv - x).abs().max()) <= 0.1 + 1e-6 and adv.min() >= 0 and adv.max() <= 1
    with torch.no_grad():
        assert float(pipe(adv).argmax(1).ne(y).float().mean()) >= float(
            pipe(x).argmax(1).ne(y).float().mean()
        )
    # the detector-aware objective rises: a confident wrong class and a high fidelity
    obj = detector_objective(kappa=2.0, mean=0.9, std=0.05)
    never = lambda logits, sig, y: torch.zeros(len(y), dtype=torch.bool)  # noqa: E731
    adv2 = adaptive_pgd(pipe, x, y, tm, 8, "1/40", obj, never, g)
    with torch.no_grad():
        before, after = obj(*pipe.signals(x), y), obj(*pipe.signals(adv2), y)
    assert float(after.mean()) > float(before.mean())


def test_all_zero_image_is_refused_with_a_clear_error():
    x = torch.rand(3, 1, 4, 4)
    x[1] = 0
    with pytest.raises(ValueError, match="non-zero image"):
        amplitude_state(x)
