"""QAE++ (Andrews, Sanjaya and Mishra, 2026): quantum-autoencoder purification for a quantum classifier.

Claim checked: purifying with a quantum autoencoder trained on clean data only (QAE++: plus a confidence
rule on trash fidelity and logit difference) recovers accuracy under attack comparably to a classical
convolutional autoencoder purifier with two orders of magnitude fewer parameters.
"""

from __future__ import annotations

import torch

from advfrontier.qae.adaptive import adaptive_pgd, ce_objective, detector_objective, misclassified
from advfrontier.qae.autoencoder import QuantumAutoencoder, fidelity_loss
from advfrontier.qae.cae import ConvAutoencoder, count_parameters, reconstruction_loss
from advfrontier.qae.circuits import amplitude_state
from advfrontier.qae.classifier import QuantumClassifier, classification_loss
from advfrontier.qae.confidence import auroc, fit_signal_rule
from advfrontier.qae.config import MINI, PAPER_SCALE, REAL, SMOKE, QAEConfig
from advfrontier.qae.data import load_splits
from advfrontier.qae.evaluate import craft
from advfrontier.qae.pipelines import PIPELINES, ROWS, RULES, Pipeline, collect, row_name
from advfrontier.qae.train import fit
from advfrontier.shared.claims import Better, Fact, NotWorse
from advfrontier.shared.determinism import generator
from advfrontier.shared.paper import Metrics, Paper, Reported
from advfrontier.shared.progress import Progress

METHODS: tuple[str, ...] = ROWS
COLUMNS: tuple[str, ...] = (
    "clean_acc", "clean_reject", "fgsm_acc", "pgd_acc", "adaptive_pgd_acc", "detector_pgd_acc", "worst_acc",
    "auroc",
)  # fmt: skip
ATTACKS: tuple[str, ...] = ("fgsm", "pgd", "adaptive_pgd", "detector_pgd")
"""fgsm / pgd: transfer from the undefended classifier; adaptive_pgd: CE through the purifier;
detector_pgd: through the purifier and the rejection signals (adaptive.py)."""


def _percent(mask: torch.Tensor) -> float:
    return 100.0 * float(mask.float().mean())


def _train(cfg: QAEConfig, x_tr: torch.Tensor, y_tr: torch.Tensor, seed: int, dev: torch.device):
    """Classifier, QAE and CAE, each trained on clean training data only."""
    n = cfg.n_qubits
    clf = QuantumClassifier(n, len(cfg.classes), cfg.clf_layers).to(dev)
    fit_args = dict(x=x_tr, y=y_tr, seed=seed)
    fit(clf, lambda xb, yb: classification_loss(clf(xb), yb), epochs=cfg.clf_epochs, lr=cfg.clf_lr,
        batch_size=cfg.clf_batch, **fit_args)  # fmt: skip
    qae = QuantumAutoencoder(n, cfg.qae_trash, cfg.qae_layers).to(dev)
    fit(qae, lambda xb, _: fidelity_loss(qae.trash_fidelity(amplitude_state(xb))), epochs=cfg.qae_epochs,
        lr=cfg.qae_lr, batch_size=cfg.qae_batch, **fit_args)  # fmt: skip
    cae = ConvAutoencoder(cfg.cae_channels).to(dev)
    fit(cae, lambda xb, _: reconstruction_loss(cae(xb), xb), epochs=cfg.cae_epochs, lr=cfg.cae_lr,
        batch_size=cfg.cae_batch, **fit_args)  # fmt: skip
    for module in (clf, qae, cae):
        module.requires_grad_(False)  # attacks need input gradients only
    return clf, qae, cae


def _rule_signals(sig: dict[str, torch.Tensor], rule: tuple[str, ...]) -> tuple[torch.Tensor, ...]:
    return tuple(sig[k] for k in rule)


def _rejected(rules: dict, rule: tuple[str, ...], sig: dict[str, torch.Tensor]) -> torch.Tensor:
    """Rejection mask of ``rule`` (all False for no rule)."""
    if not rule:
        return torch.zeros(len(sig["margin"]), dtype=torch.bool)
    return rules[rule].reject(_rule_signals(sig, rule))


def run_dataset(cfg: QAEConfig, dataset: str, seed: int) -> Metrics:
    """Train the classifier, the QAE and the CAE on clean data of one data set; evaluate every
    purifier × rejection rule (thresholds on clean validation data, the same rate for all) under transfer
    and adaptive attacks. An adversarial input counts as defended when it is classified correctly or
    rejected; a clean input when it is classified correctly and accepted."""
    data = load_splits(
        dataset, cfg.classes, cfg.image_side, cfg.data_dir, cfg.train_size, cfg.val_size, cfg.test_size,
        cfg.holdout, cfg.packaged,
    )  # fmt: skip
    dev = torch.device(cfg.device)
    x_va = data.val.x.to(dev)
    x_te, y_te = data.test.x.to(dev), data.test.y.to(dev)
    clf, qae, cae = _train(cfg, data.train.x.to(dev), data.train.y.to(dev), seed, dev)
    steps, alpha, tm = cfg.pgd_steps, cfg.step_size, cfg.threat_model
    transfer = craft(clf, x_te, y_te, tm, steps, alpha, seed, last_iterate=True)
    y_cpu = y_te.cpu()
    m: Metrics = {}
    progress = Progress(len(PIPELINES), f"qae {dataset} seed {seed}: attacks through", "pipeline")
    for kind in PIPELINES:
        pipe = Pipeline(kind, clf, {"none": None, "cae": cae, "qae": qae}[kind]).eval()
        _, val_sig = collect(pipe, x_va)
        rules = {r: fit_signal_rule(_rule_signals(val_sig, r), cfg.reject_rate) for r in RULES[kind] if r}
        strictest = rules[RULES[kind][-1]]
        kappa = float(val_sig["margin"].median())
        pur = val_sig.get("purifier")
        objective = detector_objective(
            kappa, None if pur is None else float(pur.mean()), None if pur is None else float(pur.std())
        )

        def accepted_and_wrong(logits, sig, y, rule=strictest, keys=RULES[kind][-1]):
            rej = rule.reject(_rule_signals({k: v.detach() for k, v in sig.items()}, keys)).to(y.device)
            return (logits.argmax(1) != y) & ~rej

        g = generator(seed)
        attack = dict(x=x_te, y=y_te, threat=tm, steps=steps, step_size=alpha, generator=g)
        adv = {
            **transfer,
            "adaptive_pgd": adaptive_pgd(pipe, objective=ce_objective, success=misclassified, **attack),
            "detector_pgd": adaptive_pgd(pipe, objective=objective, success=accepted_and_wrong, **attack),
        }
        clean_pred, clean_sig = collect(pipe, x_te)
        outs = {name: collect(pipe, x_adv) for name, x_adv in adv.items()}
        for rule in RULES[kind]:
            row = row_name(kind, rule)

            rej = _rejected(rules, rule, clean_sig)
            m[f"{row}/clean_acc"] = _percent((clean_pred == y_cpu) & ~rej)
            m[f"{row}/clean_reject"] = _percent(rej)
            worst = torch.ones(len(y_cpu), dtype=torch.bool)
            for name in ATTACKS:
                pred, sig = outs[name]
                defended = (pred == y_cpu) | _rejected(rules, rule, sig)
                m[f"{row}/{name}_acc"] = _percent(defended)
                worst &= defended
            m[f"{row}/worst_acc"] = _percent(worst)
            if rule:
                s_clean = rules[rule].score(_rule_signals(clean_sig, rule))
                s_adv = rules[rule].score(_rule_signals(outs["pgd"][1], rule))
                m[f"{row}/auroc"] = 100.0 * auroc(-s_clean, -s_adv)
        progress.step()
    m["cae/purifier_params"] = float(count_parameters(cae))
    m["qae/purifier_params"] = float(count_parameters(qae))
    m["qae/param_ratio"] = m["cae/purifier_params"] / m["qae/purifier_params"]
    return m


def run(cfg: QAEConfig, seed: int) -> Metrics:
    """One seed over every data set of the config; with several, each method gets ``@<data set>``."""
    metrics: Metrics = {}
    for dataset in cfg.datasets:
        tag = "" if len(cfg.datasets) == 1 else f"@{dataset}"
        for key, value in run_dataset(cfg, dataset, seed).items():
            method, metric = key.split("/", 1)
            metrics[f"{method}{tag}/{metric}"] = value
    return metrics


PAPER = Paper(
    slug="qae",
    title="Defending Quantum Classifiers against Adversarial Perturbations through Quantum Autoencoders",
    citation=(
        "Emma Andrews, Sahan Sanjaya, Prabhat Mishra. Defending Quantum Classifiers against Adversarial "
        "Perturbations through Quantum Autoencoders. arXiv:2604.28176, 2026"
    ),
    claim=(
        "A quantum autoencoder trained on clean data purifies adversarial inputs of a variational quantum "
        "classifier, and a confidence metric (encoding fidelity, logit difference) flags the ones it cannot "
        "purify; QAE++ rivals a classical convolutional-autoencoder purifier with far fewer parameters "
        "(120 vs 91,424)."
    ),
    configs={"smoke": SMOKE, "mini": MINI, "real": REAL, "paper": PAPER_SCALE},
    run=run,
    claims=(
        Better(
            "QAE++ recovers accuracy under transfer PGD beyond rejection alone",
            a="qae_pp/pgd_acc",
            b="no_defence_margin/pgd_acc",
            wording="QAE++ ... up to 68% better accuracy under attack; baseline here: no purifier with the "
            "margin rule at the same clean rejection rate",
            source="abstract",
        ),
        Better(
            "QAE++ recovers worst-case accuracy (transfer + adaptive) beyond rejection alone",
            a="qae_pp/worst_acc",
            b="no_defence_margin/worst_acc",
            wording="the same claim under adaptive attacks through purifier and detector (ours)",
            source="abstract",
        ),
        NotWorse(
            "QAE++ comparable to the CAE with the same combined rule under PGD (δ 5 points)",
            a="qae_pp/pgd_acc",
            b="cae_combined/pgd_acc",
            delta=5.0,
            wording="QAE++ rivals a classical convolutional autoencoder with far fewer parameters",
            source="abstract",
            headline=True,
        ),
        NotWorse(
            "QAE++ comparable to the CAE + combined rule in worst-case accuracy (δ 5 points)",
            a="qae_pp/worst_acc",
            b="cae_combined/worst_acc",
            delta=5.0,
            wording="the same claim under adaptive attacks (ours)",
            source="abstract",
        ),
        NotWorse(
            "QAE alone comparable to the CAE alone under PGD (δ 5 points)",
            a="qae/pgd_acc",
            b="cae/pgd_acc",
            delta=5.0,
            wording="the QAE purifies adversarial inputs",
            source="abstract",
        ),
        Better(
            "the fidelity signal adds detection to the logit difference (AUROC, QAE++ vs QAE + margin)",
            a="qae_pp/auroc",
            b="qae_margin/auroc",
            wording="a confidence metric built from encoding fidelity and logit difference",
            source="abstract / digest",
        ),
    ),
    facts=(
        Fact("CAE purifier parameters", metric="cae/purifier_params", unit="scalars", note="paper: 91,424"),
        Fact("QAE purifier parameters", metric="qae/purifier_params", unit="scalars", note="paper: 120"),
        Fact("CAE / QAE parameter ratio", metric="qae/param_ratio", unit="×", note="paper: ≈ 762×"),
    ),
    reported=(
        Reported(
            "qae", "purifier_params", 120, "paper text via digest (table not readable)", "MNIST, F-MNIST"
        ),
        Reported(
            "cae", "purifier_params", 91_424, "paper text via digest (table not readable)", "MNIST, F-MNIST"
        ),
    ),
    tolerances={"*_acc": 2.6, "*/clean_reject": 2.6, "*/auroc": 2.6},  # two of the 80 smoke test images
    methods=METHODS,
    columns=COLUMNS,
    notes=(
        "Accuracies, rejection rate and AUROC in %. Miniature: scikit-learn digits 0–3 (8×8 = 64 pixels, "
        "amplitude-encoded on 6 qubits, no downsampling), classifier StronglyEntanglingLayers ×4 read out "
        "by ⟨Z_k⟩ on 4 qubits, QAE StronglyEntanglingLayers ×6 with 1 trash qubit (108 parameters), "
        "CAE 1→32→64→32→1 convolutions, all trained on clean data. FGSM / PGD-20 (step ε/4) at L∞ ε = 0.1 "
        "crafted on the undefended classifier (transfer); adaptive_pgd: CE-PGD through the purifier; "
        "detector_pgd: CW-margin PGD through the purifier plus its standardised rejection signal (BPDA-style "
        "surrogate for the CDF thresholds); worst_acc: defended under all four, per example. Rows: each "
        "purifier (none / CAE / QAE) × rejection rule (none; _margin: logit difference; _recon / _fidelity: "
        "the purifier's signal; _combined and qae_pp: both), every rule calibrated to reject 5% of clean "
        "validation inputs. Every row counts an adversarial input as defended when correct or rejected, a "
        "clean one only when correct and accepted. AUROC: clean vs transfer-PGD test inputs by the rule's "
        "score. Smoke: 160 training / "
        "80 test images, a few epochs, PGD-10."
    ),
)
