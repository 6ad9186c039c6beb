"""Word tokenisation, detokenisation and the human-written prose of the miniature (CPython's pydoc topics)."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d+|[^\sA-Za-z\d]")
_NO_SPACE_BEFORE = {".", ",", ";", ":", ")", "]", "?", "!", "'s"}
_NO_SPACE_AFTER = {"(", "["}


def tokenize(text: str) -> list[str]:
    """Lower-cased word and punctuation tokens."""
    return [t.lower() for t in TOKEN.findall(text)]


def detokenize(tokens: list[str]) -> str:
    """Join tokens with spaces, without a space before closing punctuation or after opening brackets."""
    out: list[str] = []
    for t in tokens:
        if out and t not in _NO_SPACE_BEFORE and out[-1] not in _NO_SPACE_AFTER:
            out.append(" ")
        out.append(t)
    return "".join(out)


def prose_paragraphs(doc: str, min_words: int = 12) -> list[str]:
    """Paragraphs of running prose in a pydoc topic: unindented, mostly words, no headings or code."""
    keep = []
    for para in re.split(r"\n\s*\n", doc):
        lines = para.splitlines()
        if not lines or lines[0].startswith("   ") or ">>>" in para:
            continue
        lines = [ln.strip().lstrip("*").strip() for ln in lines if not set(ln.strip()) <= set("*=-^")]
        words = " ".join(lines).split()
        alpha = sum(w.strip(".,;:()'\"*").isalpha() for w in words)
        if len(words) >= min_words and alpha >= 0.7 * len(words):
            keep.append(" ".join(words))
    return keep


def pydoc_topics() -> dict[str, str]:
    """The pydoc topic texts that ship with CPython (sorted by name, no network)."""
    from pydoc_data.topics import topics

    return {k: topics[k] for k in sorted(topics)}


def topic_streams(topics: dict[str, str]) -> dict[str, list[str]]:
    """Per topic: the token stream of its prose paragraphs, each paragraph kept only where it first occurs
    (pydoc repeats some across topics); topics without prose are dropped."""
    out, seen = {}, set()
    for name, doc in topics.items():
        paras = [p for p in prose_paragraphs(doc) if p not in seen]
        seen.update(paras)
        toks = [t for p in paras for t in tokenize(p)]
        if toks:
            out[name] = toks
    return out
