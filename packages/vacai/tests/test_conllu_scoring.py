"""CoNLL-U through stanza round-trips, and the CoNLL 2018 scorer counts exactly what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from advfrontier.vacai.conllu_io import read_conllu, write_conllu
from advfrontier.vacai.scoring import score_files, score_predictions
from advfrontier.vacai.synth import SOURCES, generate


def test_write_read_round_trip(tmp_path: Path) -> None:
    sents = generate(SOURCES[2], 20, 3)
    back = read_conllu(write_conllu(tmp_path / "x.conllu", sents), "S2")
    assert [(s.forms, s.upos, s.heads, s.deprels) for s in back] == [
        (s.forms, s.upos, s.heads, s.deprels) for s in sents
    ]
    assert all(s.variety == "S2" for s in back)


def test_scorer_counts_head_and_label_errors(tmp_path: Path) -> None:
    gold = generate(SOURCES[0], 30, 0)
    n = sum(len(s) for s in gold)
    perfect = score_predictions(gold, [s.heads for s in gold], [s.deprels for s in gold], tmp_path, "p")
    assert perfect == {"las": 100.0, "uas": 100.0}
    # one wrong label: LAS loses one word, UAS nothing
    rels = [list(s.deprels) for s in gold]
    k = next(i for i, d in enumerate(rels[0]) if d != "root")
    rels[0][k] = "dep"
    res = score_predictions(gold, [s.heads for s in gold], rels, tmp_path, "l")
    assert res["uas"] == 100.0 and res["las"] == pytest.approx(100.0 * (n - 1) / n)
    # one wrong head (re-attached to the root word, so still a tree): both lose one word
    heads = [list(s.heads) for s in gold]
    s0 = next(s for s in gold if len(s) >= 3)
    i0 = gold.index(s0)
    root = heads[i0].index(0) + 1
    m = next(j for j, h in enumerate(heads[i0]) if h not in (0, root))
    heads[i0][m] = root
    res = score_predictions(gold, heads, [s.deprels for s in gold], tmp_path, "h")
    assert res["uas"] == pytest.approx(100.0 * (n - 1) / n) and res["las"] == pytest.approx(res["uas"])


def test_scorer_rejects_a_cycle(tmp_path: Path) -> None:
    from udtools.udeval import UDError

    gold = generate(SOURCES[0], 3, 0)
    bad = [list(s.heads) for s in gold]
    s = next(i for i, g in enumerate(gold) if len(g) >= 2)
    bad[s] = [2, 1] + [0] * (len(gold[s]) - 2)
    path = write_conllu(tmp_path / "bad.conllu", gold, heads=bad)
    with pytest.raises(UDError):
        score_files(write_conllu(tmp_path / "g.conllu", gold), path)
