"""CoNLL-U reading and writing through stanza's ``CoNLL`` class (no hand-rolled parser).

A :class:`Sentence` keeps the syntactic words (multiword-token range lines and empty nodes are
not parsed) and the token dicts it came from, so predictions are written back with the original
tokenisation, comments and multiword tokens intact: the CoNLL 2018 scorer then aligns them exactly.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stanza.models.common.doc import Document
from stanza.utils.conll import CoNLL


@dataclass
class Sentence:
    """One sentence: its words (1-based heads, 0 = root) and the stanza token dicts it came from."""

    forms: list[str]
    upos: list[str]
    heads: list[int]
    deprels: list[str]
    variety: str = ""
    tokens: list[dict[str, Any]] = field(default_factory=list, repr=False)
    """stanza dicts of every line (MWT ranges included), as ``CoNLL.conll2dict`` returns them."""
    comments: list[str] = field(default_factory=list, repr=False)

    def __len__(self) -> int:
        return len(self.forms)


def _word_dicts(tokens: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in tokens if len(t["id"]) == 1]


def from_stanza(tokens: list[dict[str, Any]], comments: list[str], variety: str) -> Sentence:
    """A :class:`Sentence` from one sentence of ``CoNLL.conll2dict`` output."""
    words = _word_dicts(tokens)
    return Sentence(
        forms=[w.get("text", "_") for w in words],
        upos=[w.get("upos", "_") for w in words],
        heads=[int(w.get("head", 0)) for w in words],
        deprels=[w.get("deprel", "dep") for w in words],
        variety=variety,
        tokens=tokens,
        comments=comments,
    )


def make_sentence(
    forms: Sequence[str], upos: Sequence[str], heads: Sequence[int], deprels: Sequence[str], variety: str
) -> Sentence:
    """A :class:`Sentence` built from its columns (the synthetic generator uses this)."""
    tokens = [
        {"id": (i + 1,), "text": f, "lemma": f, "upos": u, "head": int(h), "deprel": d}
        for i, (f, u, h, d) in enumerate(zip(forms, upos, heads, deprels, strict=True))
    ]
    comments = [f"# text = {' '.join(forms)}"]
    heads = [int(h) for h in heads]
    return Sentence(list(forms), list(upos), heads, list(deprels), variety, tokens, comments)


def read_conllu(path: str | Path, variety: str = "") -> list[Sentence]:
    """Read a CoNLL-U file with ``stanza.utils.conll.CoNLL.conll2dict``."""
    docs, comments, _empty = CoNLL.conll2dict(input_file=str(path))
    return [from_stanza(t, c, variety) for t, c in zip(docs, comments, strict=True) if _word_dicts(t)]


def write_conllu(
    path: str | Path,
    sentences: Sequence[Sentence],
    heads: Sequence[Sequence[int]] | None = None,
    deprels: Sequence[Sequence[str]] | None = None,
) -> Path:
    """Write ``sentences`` (optionally with predicted ``heads``/``deprels``) through stanza's Document."""
    doc_dict, doc_comments = [], []
    for i, s in enumerate(sentences):
        tokens = copy.deepcopy(s.tokens)
        words = _word_dicts(tokens)
        hs = s.heads if heads is None else heads[i]
        ds = s.deprels if deprels is None else deprels[i]
        if len(hs) != len(words) or len(ds) != len(words):
            raise ValueError(f"sentence {i}: {len(words)} words but {len(hs)} heads / {len(ds)} deprels")
        for w, h, d in zip(words, hs, ds, strict=True):
            w["head"], w["deprel"] = int(h), d
            w.pop("deps", None)  # enhanced graph no longer matches the predicted tree
        doc_dict.append(tokens)
        doc_comments.append(list(s.comments))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    CoNLL.write_doc2conll(Document(doc_dict, comments=doc_comments), str(path))
    return path
