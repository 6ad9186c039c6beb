"""One seed at the paper scale: a paper data set, RoBERTa-base D_tar, ALBERT D_sur, Llama G, all local."""

from __future__ import annotations

import copy

import numpy as np
import torch

from advfrontier.fight_poison.attacks import ATTACKS, AttackKit, distributional_synonyms
from advfrontier.fight_poison.config import FightPoisonConfig
from advfrontier.fight_poison.evaluate import evaluate
from advfrontier.fight_poison.hf_models import HFClassifier, HFRewriter, HFSurrogate, model_dir
from advfrontier.fight_poison.mini_run import train_method
from advfrontier.fight_poison.ngram import NGramLM
from advfrontier.fight_poison.react import predict_proba, train_ce
from advfrontier.fight_poison.readers import balanced_sample, read_dataset
from advfrontier.fight_poison.text import detokenize, tokenize
from advfrontier.fight_poison.unseen_attacks import UNSEEN_ATTACKS, apply_unseen


def paper_attacks(cfg, train_all, train, test, g: HFRewriter, seed: int) -> dict:
    """humanize = G with 3 random (HWT, MGT) examples; the other three: the miniature's analogues."""
    rng = np.random.default_rng([seed, 99])
    seen = set(train.texts)
    humans = [t for t, y in zip(train_all.texts, train_all.labels, strict=True) if y == 0 and t not in seen][
        :2000
    ]
    machines = [
        t for t, y in zip(train_all.texts, train_all.labels, strict=True) if y == 1 and t not in seen
    ][:2000]
    streams = [tokenize(t) for t in humans]
    kit = AttackKit(
        NGramLM(streams, 3),
        distributional_synonyms(streams),
        streams[:50],
        [tokenize(t) for t in machines[:50]],
    )
    idx = np.flatnonzero(test.labels == 1)[: cfg.max_attack_texts]
    out = {}
    for name in ATTACKS:
        if name == "humanize":
            adv = []
            for i in idx:
                h = " ".join(humans[j] for j in rng.choice(len(humans), min(3, len(humans)), replace=False))
                m = " ".join(
                    machines[j] for j in rng.choice(len(machines), min(3, len(machines)), replace=False)
                )
                adv.append(g(test.texts[i], h, m, rng))
        else:
            adv = [detokenize(kit.apply(name, tokenize(test.texts[i]), rng)) for i in idx]
        out[name] = (idx, adv)
    for name in UNSEEN_ATTACKS:
        out[name] = (idx, [apply_unseen(name, test.texts[i], rng) for i in idx])
    return out


def run_paper(cfg: FightPoisonConfig, seed: int) -> dict[str, float]:
    train_all, test_all = read_dataset(cfg.dataset, cfg.data_dir)
    ood_all = read_dataset(cfg.ood_dataset, cfg.data_dir)[1]
    target = model_dir(cfg.target_model, cfg.data_dir)
    sur_path = model_dir(cfg.surrogate_model, cfg.data_dir)
    g = HFRewriter(
        model_dir(cfg.generator_model, cfg.data_dir),
        cfg.max_new_tokens,
        cfg.gen_temperature,
        cfg.top_p,
        cfg.device,
    )
    rng = np.random.default_rng(seed)
    train = balanced_sample(train_all, cfg.shots, rng)
    test = balanced_sample(test_all, cfg.n_test, np.random.default_rng(0), exclude=set(train.texts))
    ood = balanced_sample(ood_all, cfg.n_ood, np.random.default_rng(0))
    val = balanced_sample(train_all, cfg.n_val, np.random.default_rng([seed, 3]), exclude=set(train.texts))
    val_human = [t for t, y in zip(val.texts, val.labels, strict=True) if y == 0]
    attacked = paper_attacks(cfg, train_all, train, test, g, seed)
    torch.manual_seed(seed)
    base = HFClassifier(target, cfg.max_length, cfg.device)
    surrogate = HFSurrogate(sur_path, cfg.max_length, cfg.device)
    rng = np.random.default_rng([seed, 1])
    train_ce(
        base, train.texts, train.labels, cfg.clean_epochs, cfg.batch_size, cfg.lr_tar, cfg.weight_decay, rng
    )
    train_ce(
        surrogate, train.texts, train.labels, cfg.clean_epochs, cfg.batch_size, cfg.lr_sur, cfg.weight_decay,
        rng, logits_of=lambda out: out,
    )  # fmt: skip
    metrics: dict[str, float] = {}
    for k, method in enumerate(m for m in cfg.methods if m != "fast_detectgpt"):
        det, sur = copy.deepcopy(base), copy.deepcopy(surrogate)
        mrng = np.random.default_rng([seed, 10 + k])
        extra = train_method(method, cfg, det, sur, g, train.texts, train.labels, mrng)
        res = evaluate(
            lambda t, d=det: predict_proba(d, t, batch=16),
            0.5,
            (test.texts, test.labels),
            attacked,
            (ood.texts, ood.labels),
            val_human,
        )
        metrics.update({f"{method}/{k2}": v for k2, v in {**res, **extra}.items()})
        del det, sur
    return metrics
