"""Synthetic treebanks for the miniature: one base grammar, varieties as parameter sets [inferred].

A variety fixes word order (subject/object vs verb, adjective vs noun, pre- vs postpositions), its
determiner rate and function-word family, a variety-only discourse particle, spelling-rewrite rules
and a lexical-swap rate. Targets are held out entirely and drawn anew for every seed
(:func:`draw_targets`): each inherits most attributes from a parent source, some from other sources,
and gets one spelling rule no source has.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from advfrontier.vacai.conllu_io import Sentence, make_sentence

RULES: tuple[tuple[str, str], ...] = (
    ("a", "aa"),
    ("k", "c"),
    ("o", "u"),
    ("e", "ei"),
    ("s", "z"),
    ("i", "y"),
    ("t", "d"),
    ("u", "oe"),
)
"""Global spelling rewrites; a variety applies a subset, in this order."""

FUNCTION_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "F0": {"DET": ("de", "en"), "ADP": ("in", "op", "to", "mi"), "PRON": ("ik", "du", "he"), "AUX": ("hat",)},
    "F1": {"DET": ("di", "un"), "ADP": ("ind", "ob", "tu"), "PRON": ("ek", "do", "hi"), "AUX": ("het",)},
    "F2": {"DET": ("ta", "na"), "ADP": ("en", "po", "at", "sa"), "PRON": ("mi", "ti", "on"), "AUX": ("ima",)},
}
"""Function-word families (variety-specific function words)."""


@dataclass(frozen=True)
class Variety:
    """One variety of the toy language."""

    name: str
    subj_first: bool
    """Subject before the verb (else after it)."""
    obj_first: bool
    """Object before the verb (OV) (else VO)."""
    adj_post: bool
    """Adjective after its noun."""
    postposition: bool
    """Adposition after its noun phrase."""
    det_rate: float
    """Probability that a noun phrase has a determiner."""
    family: str
    """Key of FUNCTION_WORDS."""
    rules: tuple[int, ...]
    """Indices into RULES applied to every word."""
    swap_rate: float
    """Share of content lemmas replaced by a variety-only word."""
    particle: str = ""
    """A discourse particle that only this variety uses ("" for none)."""


SOURCES: tuple[Variety, ...] = (
    Variety("S0", True, False, False, False, 0.9, "F0", (), 0.10, ""),
    Variety("S1", True, False, True, False, 0.7, "F0", (0, 1), 0.15, "ja"),
    Variety("S2", True, True, True, False, 0.5, "F1", (1, 2), 0.20, ""),
    Variety("S3", True, True, True, True, 0.3, "F1", (2, 3, 4), 0.20, "wa"),
    Variety("S4", False, True, False, True, 0.6, "F2", (3, 4, 5), 0.15, "no"),
)
TARGET_COUPLING = 0.6
"""Chance that a drawn target inherits an attribute from its parent source (else from any source)."""
NOVEL_PARTICLES: tuple[str, ...] = ("wu", "ne", "ka")
"""Discourse particles no source uses."""


def draw_targets(seed: int, n: int = 3) -> tuple[Variety, ...]:
    """Held-out targets T0..T{n-1} drawn at random for each seed [design fixed before any TOPPing run].

    Each target has a parent source drawn uniformly; each attribute (the four word-order switches,
    determiner rate, function-word family, spelling rules) comes from the parent with probability
    ``TARGET_COUPLING`` and otherwise from a uniformly drawn source; its particle is inherited that way
    with probability ``TARGET_COUPLING`` and is otherwise one no source uses; the target then gets one
    spelling rule no source uses (k = 6 or 7) and a lexical-swap rate of 0.25. So spelling tells TOPPing
    about the parent, and whether the parent also matches the target's syntax is left to chance: TOPPing
    beating random sources is not built into the generator.
    """
    rng = random.Random(zlib.crc32(f"targets|{seed}".encode()))
    out = []
    for t in range(n):
        parent = rng.choice(SOURCES)

        def pick(attr: str, parent: Variety = parent) -> object:
            src = parent if rng.random() < TARGET_COUPLING else rng.choice(SOURCES)
            return getattr(src, attr)

        rules = tuple(sorted({*pick("rules"), rng.choice((6, 7))}))  # type: ignore[misc]
        particle = pick("particle") if rng.random() < TARGET_COUPLING else rng.choice(NOVEL_PARTICLES)
        det = min(0.95, max(0.1, float(pick("det_rate")) + rng.uniform(-0.1, 0.1)))  # type: ignore[arg-type]
        out.append(
            Variety(
                f"T{t}",
                bool(pick("subj_first")),
                bool(pick("obj_first")),
                bool(pick("adj_post")),
                bool(pick("postposition")),
                round(det, 2),
                str(pick("family")),
                rules,
                0.25,
                str(particle),
            )
        )
    return tuple(out)


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice("bdgklmnprstvz") + rng.choice("aeiou") for _ in range(syllables)) + rng.choice(
        ["", "n", "k", "s", "t"]
    )


@dataclass(frozen=True)
class Lexicon:
    """Base content lemmas shared by all varieties."""

    nouns: tuple[str, ...]
    verbs: tuple[str, ...]
    adjs: tuple[str, ...]


def make_lexicon(seed: int = 1234, nouns: int = 60, verbs: int = 30, adjs: int = 20) -> Lexicon:
    """A fixed random lexicon (independent of the run seed)."""
    rng = random.Random(seed)
    return Lexicon(
        tuple(_word(rng, 2) for _ in range(nouns)),
        tuple(_word(rng, 2) + "e" for _ in range(verbs)),
        tuple(_word(rng, 1) + "ig" for _ in range(adjs)),
    )


def spell(word: str, variety: Variety) -> str:
    """Apply the variety's spelling rewrites to ``word``."""
    for k in variety.rules:
        old, new = RULES[k]
        word = word.replace(old, new)
    return word


def lexical_form(lemma: str, variety: Variety) -> str:
    """The variety's word for a content lemma: a variety-only word for a fixed share of lemmas."""
    h = zlib.crc32(f"{variety.name}|{lemma}".encode())
    if (h % 1000) / 1000.0 < variety.swap_rate:
        return _word(random.Random(h), 2)
    return lemma


class _Builder:
    def __init__(self) -> None:
        self.forms: list[str] = []
        self.upos: list[str] = []
        self.heads: list[int] = []
        self.deprels: list[str] = []

    def add(self, form: str, upos: str) -> int:
        self.forms.append(form)
        self.upos.append(upos)
        self.heads.append(-1)
        self.deprels.append("")
        return len(self.forms) - 1

    def attach(self, dep: int, head: int, rel: str) -> None:
        self.heads[dep] = head
        self.deprels[dep] = rel


Item = tuple[str, str, str]
"""(form, upos, role): role "head" or the relation to the phrase head."""


def _noun_phrase(rng: random.Random, v: Variety, lex: Lexicon, with_adp: bool) -> list[Item]:
    """An ordered noun phrase: optional determiner and adjective, optional adposition."""
    fw = FUNCTION_WORDS[v.family]
    items: list[Item] = []
    if rng.random() < v.det_rate:
        items.append((rng.choice(fw["DET"]), "DET", "det"))
    adj: list[Item] = [(rng.choice(lex.adjs), "ADJ", "amod")] if rng.random() < 0.4 else []
    core: list[Item] = [(rng.choice(lex.nouns), "NOUN", "head")]
    items += [*core, *adj] if v.adj_post else [*adj, *core]
    if with_adp:
        adp: Item = (rng.choice(fw["ADP"]), "ADP", "case")
        items = [*items, adp] if v.postposition else [adp, *items]
    return items


def generate_sentence(rng: random.Random, v: Variety, lex: Lexicon) -> Sentence:
    """One sentence of variety ``v``: a clause with subject, optional object, PP, auxiliary, particle."""
    fw = FUNCTION_WORDS[v.family]
    if rng.random() < 0.2:
        subj: list[Item] = [(rng.choice(fw["PRON"]), "PRON", "head")]
    else:
        subj = _noun_phrase(rng, v, lex, False)
    verb: list[Item] = [(rng.choice(lex.verbs), "VERB", "head")]
    if rng.random() < 0.3:
        aux: Item = (fw["AUX"][0], "AUX", "aux")
        verb = [*verb, aux] if v.obj_first else [aux, *verb]
    obj = _noun_phrase(rng, v, lex, False) if rng.random() < 0.7 else None
    pp = _noun_phrase(rng, v, lex, True) if rng.random() < 0.5 else None
    pre: list[tuple[str, list[Item]]] = []
    post: list[tuple[str, list[Item]]] = []
    (pre if v.subj_first else post).append(("nsubj", subj))
    if obj is not None:  # OV: object right before the verb; VO: right after it
        if v.obj_first:
            pre.append(("obj", obj))
        else:
            post.insert(0, ("obj", obj))
    if pp is not None:  # the oblique goes to the other side of the verb from the object
        if v.obj_first:
            post.append(("obl", pp))
        else:
            pre.append(("obl", pp))
    constituents = [*pre, ("root", verb), *post]
    if v.particle and rng.random() < 0.3:
        constituents.append(("discourse", [(v.particle, "PART", "head")]))
    # flatten with attachments
    b = _Builder()
    verb_idx = -1
    phrase_heads: list[tuple[str, int]] = []
    for rel, items in constituents:
        idx = [b.add(form, upos) for form, upos, _ in items]
        head = next(i for i, (_, _, role) in zip(idx, items, strict=True) if role == "head")
        for i, (_, _, role) in zip(idx, items, strict=True):
            if role != "head":
                b.attach(i, head, role)
        if rel == "root":
            verb_idx = head
        phrase_heads.append((rel, head))
    for rel, head in phrase_heads:
        if rel == "root":
            b.attach(head, -1, "root")
        else:
            b.attach(head, verb_idx, rel)
    content = ("NOUN", "VERB", "ADJ")
    forms = [spell(lexical_form(f, v) if u in content else f, v) for f, u in zip(b.forms, b.upos)]  # noqa: B905
    heads = [h + 1 for h in b.heads]  # -1 (root) -> 0, index i -> i + 1
    return make_sentence(forms, b.upos, heads, b.deprels, v.name)


def generate(v: Variety, n: int, seed: int, lex: Lexicon | None = None) -> list[Sentence]:
    """``n`` sentences of variety ``v`` drawn with ``seed``."""
    rng = random.Random(zlib.crc32(f"{v.name}|{seed}".encode()))
    lex = lex or make_lexicon()
    return [generate_sentence(rng, v, lex) for _ in range(n)]
