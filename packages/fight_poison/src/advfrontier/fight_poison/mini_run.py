"""One seed of the miniature: few-shot CE, REACT and its ablations, Fast-DetectGPT; clean, attacked, OOD."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch

from advfrontier.fight_poison.attacks import ATTACKS, AttackKit, distributional_synonyms
from advfrontier.fight_poison.config import FightPoisonConfig
from advfrontier.fight_poison.evaluate import evaluate
from advfrontier.fight_poison.mini_data import build_corpus, few_shot
from advfrontier.fight_poison.models import Detector, HashEncoder, MiniLMEncoder, Surrogate
from advfrontier.fight_poison.ngram import NGramLM
from advfrontier.fight_poison.react import ReactOptions, predict_proba, react_train, train_ce
from advfrontier.fight_poison.rewriter import RewriteConfig, rewrite
from advfrontier.fight_poison.strength import select_strength
from advfrontier.fight_poison.text import detokenize, tokenize
from advfrontier.fight_poison.unseen_attacks import UNSEEN_ATTACKS, apply_unseen
from advfrontier.fight_poison.zeroshot import best_threshold, scores

REACT_VARIANTS = {"react": (True, True), "react_no_pbc": (False, True), "react_no_rag": (True, False)}
"""method: (uses L_PBC, uses retrieval)."""


def ngram_rewriter(lm: NGramLM, cfg: RewriteConfig):
    """G for the miniature: the n-gram stand-in of :mod:`rewriter` on text strings."""

    def g(text: str, x_h: str | None, x_m: str | None, rng: np.random.Generator) -> str:
        h = tokenize(x_h) if x_h is not None else None
        m = tokenize(x_m) if x_m is not None else None
        return detokenize(rewrite(tokenize(text), h, m, lm, rng, cfg))

    return g


def react_options(cfg: FightPoisonConfig, pbc: bool, retrieval: bool) -> ReactOptions:
    """Algorithm 1's options for one variant."""
    return ReactOptions(
        cfg.adv_epochs, cfg.batch_size, cfg.lr_tar, cfg.lr_sur, cfg.weight_decay, cfg.alpha,
        cfg.lambda_pbc if pbc else 0.0, cfg.delta_same, cfg.delta_diff, retrieval,
    )  # fmt: skip


def train_method(
    method: str,
    cfg: FightPoisonConfig,
    det,
    sur,
    g,
    texts: list[str],
    labels: list[int],
    rng: np.random.Generator,
) -> dict[str, float]:
    """Train ``det`` as ``method``: "ce" takes as many more clean epochs as REACT's adversarial ones;
    a REACT variant runs Algorithm 1 with its options. Returns REACT's extra metrics ({} for "ce")."""
    if method == "ce":
        train_ce(det, texts, labels, cfg.adv_epochs, cfg.batch_size, cfg.lr_tar, cfg.weight_decay, rng)
        return {}
    pbc, retrieval = REACT_VARIANTS[method]
    return react_train(det, sur, g, texts, labels, react_options(cfg, pbc, retrieval), rng)


def corpus_of(cfg: FightPoisonConfig):
    """The miniature's n-gram corpus, or the real scale's human + SmolLM2 corpus (cached generations)."""
    if cfg.dataset == "real":
        from advfrontier.fight_poison.real_data import build_real_corpus
        from advfrontier.shared.lm import cache_dir

        return build_real_corpus(cfg, cache=cache_dir() / "fight_poison")
    return build_corpus(cfg)


def attack_test_set(cfg: FightPoisonConfig, corpus, seed: int) -> dict:
    """Each attack's (MGT test indices, attacked texts); the same for every detector of a seed."""
    kit = AttackKit(
        corpus.lm, distributional_synonyms(corpus.lm_streams), corpus.human_pool, corpus.machine_pool
    )
    idx = np.flatnonzero(corpus.test.labels == 1)[: cfg.max_attack_texts]
    out = {}
    for k, name in enumerate(ATTACKS):
        rng = np.random.default_rng([seed, 100 + k])
        out[name] = (idx, [detokenize(kit.apply(name, tokenize(corpus.test.texts[i]), rng)) for i in idx])
    for k, name in enumerate(UNSEEN_ATTACKS):  # families G never produces
        rng = np.random.default_rng([seed, 200 + k])
        out[name] = (idx, [apply_unseen(name, corpus.test.texts[i], rng) for i in idx])
    if cfg.dataset == "real":  # an LLM that G is not: SmolLM2 asked to paraphrase
        from advfrontier.fight_poison.real_data import llm_paraphrases
        from advfrontier.shared.lm import cache_dir

        texts = [corpus.test.texts[i] for i in idx]
        out["llm_paraphrase"] = (idx, llm_paraphrases(cfg, texts, cache=cache_dir() / "fight_poison"))
    return out


def run_mini(cfg: FightPoisonConfig, seed: int) -> dict[str, float]:
    corpus = corpus_of(cfg)
    train = few_shot(corpus.train_pool, cfg.shots, seed)
    attacked = attack_test_set(cfg, corpus, seed)
    test = (corpus.test.texts, corpus.test.labels)
    ood = (corpus.ood.texts, corpus.ood.labels)
    val_human = [t for t, y in zip(corpus.val.texts, corpus.val.labels, strict=True) if y == 0]
    metrics: dict[str, float] = {}
    if "fast_detectgpt" in cfg.methods:
        thr = best_threshold(scores(corpus.lm, corpus.val.texts), corpus.val.labels)
        res = evaluate(lambda t: scores(corpus.lm, t), thr, test, attacked, ood, val_human)
        metrics.update({f"fast_detectgpt/{k}": v for k, v in res.items()})
    learned = [m for m in cfg.methods if m != "fast_detectgpt"]
    if not learned:
        return metrics
    encoder = MiniLMEncoder(cfg.max_length) if cfg.encoder == "minilm" else HashEncoder(cfg.hash_dim)
    torch.manual_seed(seed)
    base = Detector(encoder, cfg.hidden)
    surrogate = Surrogate(cfg.hash_dim)
    rng = np.random.default_rng([seed, 1])
    train_ce(
        base, train.texts, train.labels, cfg.clean_epochs, cfg.batch_size, cfg.lr_tar, cfg.weight_decay, rng
    )
    train_ce(
        surrogate, train.texts, train.labels, cfg.clean_epochs, cfg.batch_size, cfg.lr_sur, cfg.weight_decay,
        rng, logits_of=lambda out: out,
    )  # fmt: skip
    g_cfg = cfg.rewrite
    if cfg.rewrite_strengths:  # the attacker's choice: validation MGT only, D_sur's verdict only
        val_mgt = [t for t, y in zip(corpus.val.texts, corpus.val.labels, strict=True) if y == 1]
        strength, _ = select_strength(
            surrogate,
            lambda s: ngram_rewriter(corpus.lm, replace(cfg.rewrite, resample_prob=s)),
            val_mgt,
            train.texts,
            cfg.rewrite_strengths,
            [seed, 2],
        )
        g_cfg = replace(cfg.rewrite, resample_prob=strength)
    g = ngram_rewriter(corpus.lm, g_cfg)
    for k, method in enumerate(learned):
        det = Detector(encoder, cfg.hidden)
        det.head.load_state_dict(base.head.state_dict())
        sur = Surrogate(cfg.hash_dim)
        sur.load_state_dict(surrogate.state_dict())
        mrng = np.random.default_rng([seed, 10 + k])
        extra = train_method(method, cfg, det, sur, g, train.texts, train.labels, mrng)
        if method != "ce":
            extra["g_strength"] = g_cfg.resample_prob
        res = evaluate(lambda t, d=det: predict_proba(d, t), 0.5, test, attacked, ood, val_human)
        metrics.update({f"{method}/{k2}": v for k2, v in {**res, **extra}.items()})
    return metrics
