"""CoNLL-U reading and writing that keeps every line it does not predict.

A :class:`Sentence` holds its syntactic words (the 1-based integer IDs) for the parser and the raw lines
of its block. Writing predictions rewrites only the HEAD and DEPREL columns of word lines and blanks the
columns the parser does not predict (LEMMA, UPOS, XPOS, FEATS), so a prediction file never carries gold
tags that a scorer would count as predicted; comments, multiword-token ranges, empty nodes (``8.1``),
DEPS and MISC pass through as they were. This is a line-level pass (stanza's ``CoNLL`` reader, used
before, drops empty nodes and DEPS on the way back), checked against ``udtools.udeval`` in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PREDICTED_BLANK: tuple[int, ...] = (2, 3, 4, 5)
"""Columns a prediction file blanks to "_": LEMMA, UPOS, XPOS, FEATS (0-based)."""


class ConlluError(ValueError):
    """A malformed or unannotated CoNLL-U file; the message is one line naming file and line."""


@dataclass
class Sentence:
    """One sentence: its words (1-based heads, 0 = root) and the raw lines of its block."""

    forms: list[str]
    upos: list[str]
    heads: list[int]
    deprels: list[str]
    variety: str = ""
    lines: list[str] = field(default_factory=list, repr=False)
    """Every line of the block (comments, MWT ranges, empty nodes, words), without newlines."""
    annotated: bool = True
    """False when the file gives no HEAD/DEPREL ("_"): such a sentence can be parsed, never trained on."""

    def __len__(self) -> int:
        return len(self.forms)


def _is_word(cols: Sequence[str]) -> bool:
    return cols[0].isdigit()


def make_sentence(
    forms: Sequence[str], upos: Sequence[str], heads: Sequence[int], deprels: Sequence[str], variety: str
) -> Sentence:
    """A :class:`Sentence` built from its columns (the synthetic generator uses this)."""
    lines = [f"# text = {' '.join(forms)}"]
    for i, (f, u, h, d) in enumerate(zip(forms, upos, heads, deprels, strict=True)):
        lines.append("\t".join([str(i + 1), f, f, u, "_", "_", str(int(h)), d, "_", "_"]))
    return Sentence(list(forms), list(upos), [int(h) for h in heads], list(deprels), variety, lines)


def _block(lines: list[str], variety: str, where: str) -> Sentence | None:
    forms, upos, heads, deprels = [], [], [], []
    annotated = True
    for k, line in enumerate(lines):
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ConlluError(f"{where}+{k}: expected 10 tab-separated columns, got {len(cols)}")
        if not _is_word(cols):
            continue
        if int(cols[0]) != len(forms) + 1:
            raise ConlluError(f"{where}+{k}: word ID {cols[0]} out of order")
        forms.append(cols[1])
        upos.append(cols[3])
        if cols[6] == "_" or cols[7] == "_":
            annotated = False
            heads.append(0)
            deprels.append("dep")
        else:
            heads.append(int(cols[6]))
            deprels.append(cols[7])
    if not forms:
        return None
    return Sentence(forms, upos, heads, deprels, variety, lines, annotated)


def read_conllu(path: str | Path, variety: str = "") -> list[Sentence]:
    """Every sentence of a CoNLL-U file (blocks without words are skipped)."""
    path = Path(path)
    out: list[Sentence] = []
    block: list[str] = []
    start = 1
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if line.strip():
                if not block:
                    start = n
                block.append(line)
                continue
            if block and (s := _block(block, variety, f"{path}:{start}")) is not None:
                out.append(s)
            block = []
    if block and (s := _block(block, variety, f"{path}:{start}")) is not None:
        out.append(s)
    return out


def require_annotated(sentences: Sequence[Sentence], what: str) -> None:
    """Raise :class:`ConlluError` when ``sentences`` have no trees to train or score on."""
    bare = sum(not s.annotated for s in sentences)
    if not sentences or bare == len(sentences):
        raise ConlluError(f"{what}: no HEAD/DEPREL annotation (columns 7-8 are '_'); cannot train or score")
    if bare:
        raise ConlluError(f"{what}: {bare} of {len(sentences)} sentences have no HEAD/DEPREL annotation")


def sentence_lines(
    s: Sentence, heads: Sequence[int] | None = None, deprels: Sequence[str] | None = None
) -> list[str]:
    """The block of ``s``; with ``heads``/``deprels`` given, a prediction block (see module docstring)."""
    if heads is None and deprels is None:
        return list(s.lines)
    hs = s.heads if heads is None else heads
    ds = s.deprels if deprels is None else deprels
    if len(hs) != len(s) or len(ds) != len(s):
        raise ValueError(f"{len(s)} words but {len(hs)} heads / {len(ds)} deprels")
    out, w = [], 0
    for line in s.lines:
        cols = line.split("\t")
        if line.startswith("#") or not _is_word(cols):
            out.append(line)
            continue
        for c in PREDICTED_BLANK:
            cols[c] = "_"
        cols[6], cols[7] = str(int(hs[w])), ds[w]
        out.append("\t".join(cols))
        w += 1
    return out


def write_conllu(
    path: str | Path,
    sentences: Sequence[Sentence],
    heads: Sequence[Sequence[int]] | None = None,
    deprels: Sequence[Sequence[str]] | None = None,
) -> Path:
    """Write ``sentences``; with ``heads``/``deprels`` given, as a prediction file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i, s in enumerate(sentences):
            lines = sentence_lines(
                s, None if heads is None else heads[i], None if deprels is None else deprels[i]
            )
            fh.write("\n".join(lines) + "\n\n")
    return path
