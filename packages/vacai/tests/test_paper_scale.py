"""The paper-scale path: UD folders in the real layout, a local transformers encoder, clear errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from advfrontier.shared.data import DataNotFoundError
from advfrontier.vacai.config import PAPER_SCALE
from advfrontier.vacai.conllu_io import read_conllu, write_conllu
from advfrontier.vacai.data import BUNDLED, load_ud
from advfrontier.vacai.paper import run
from advfrontier.vacai.scoring import score_files
from advfrontier.vacai.synth import SOURCES, draw_targets, generate

TARGETS = draw_targets(0)
LSDC = BUNDLED / "ud" / "UD_Low_Saxon-LSDC"


def _tiny_bert(path: Path, words: set[str]) -> None:
    from transformers import BertConfig, BertModel, BertTokenizerFast

    path.mkdir(parents=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(words)]
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n")
    BertTokenizerFast(vocab_file=str(path / "vocab.txt")).save_pretrained(str(path))
    cfg = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
    )
    BertModel(cfg).save_pretrained(str(path))


def _ud_dir(root: Path, n: int = 6) -> dict[str, list]:
    """Tiny treebanks in UD's folder layout, two sources (train) and one target (dev + test)."""
    made = {}
    for v, name in ((SOURCES[0], "UD_Src_A-X"), (SOURCES[3], "UD_Src_B-Y")):
        made[name] = generate(v, n, 0)
        write_conllu(root / "ud" / name / f"{name[-1].lower()}_x-ud-train.conllu", made[name])
    tgt = "UD_Tgt-Z"
    made[tgt] = generate(TARGETS[1], n, 0)
    write_conllu(root / "ud" / tgt / "z_z-ud-test.conllu", made[tgt])
    write_conllu(root / "ud" / tgt / "z_z-ud-dev.conllu", generate(TARGETS[1], n, 1))
    return made


def test_paper_config_runs_two_steps_on_tiny_ud_files(tmp_path: Path) -> None:
    made = _ud_dir(tmp_path)
    words = {f.lower() for sents in made.values() for s in sents for f in s.forms}
    _tiny_bert(
        tmp_path / "tiny-bert", words | {f.lower() for s in generate(TARGETS[1], 6, 1) for f in s.forms}
    )
    cfg = dataclasses.replace(
        PAPER_SCALE,
        device="cpu",
        seeds=1,
        data_dir=str(tmp_path),
        sources=("UD_Src_A-X", "UD_Src_B-Y"),
        targets=("UD_Tgt-Z",),
        encoder_path="tiny-bert",
        branch_dim=8,
        arc_dim=8,
        rel_dim=8,
        max_steps=2,
        methods=("all_source", "topping_vacai"),
    )
    metrics = run(cfg, 0)
    assert set(metrics) >= {"all_source/las", "topping_vacai/uas", "topping_vacai/n_sources"}
    for v in metrics.values():
        assert v == v  # finite, not NaN
    assert 0.0 <= metrics["all_source/las"] <= metrics["all_source/uas"] <= 100.0
    assert 1 <= metrics["topping_vacai/n_sources"] <= 2


def test_missing_data_and_weights_raise_clear_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = dataclasses.replace(PAPER_SCALE, data_dir=str(tmp_path))
    with pytest.raises(DataNotFoundError, match=r"(?s)UD_English-EWT.*github.com/UniversalDependencies"):
        load_ud(cfg)
    (tmp_path / "ud" / "UD_English-EWT").mkdir(parents=True)
    with pytest.raises(DataNotFoundError, match=r"-ud-train\.conllu"):
        load_ud(cfg)
    monkeypatch.delenv("ADVFRONTIER_DATA", raising=False)
    with pytest.raises(DataNotFoundError, match="needs a local data directory"):
        load_ud(dataclasses.replace(PAPER_SCALE, data_dir=None))
    from advfrontier.vacai.encoder import TransformerEncoder

    with pytest.raises(DataNotFoundError, match=r"(?s)config\.json.*bert-base-multilingual-cased"):
        TransformerEncoder(tmp_path / "no-such-model")


def test_ud_loader_reads_low_saxon_and_scorer_round_trips(tmp_path: Path) -> None:
    cfg = dataclasses.replace(
        PAPER_SCALE,
        data_dir=str(LSDC.parents[1]),
        sources=("UD_Low_Saxon-LSDC",),
        targets=("UD_Low_Saxon-LSDC",),
    )
    corpus = load_ud(cfg)
    train = corpus.sources["UD_Low_Saxon-LSDC"]
    test = corpus.targets["UD_Low_Saxon-LSDC"].test
    dev = corpus.dev["UD_Low_Saxon-LSDC"]
    assert len(train) == 450 and len(dev) == 50 and len(test) == 500  # 10 % of train held out as dev
    assert not {id(s) for s in train} & {id(s) for s in dev}
    for s in train + test:  # every sentence is a tree over its syntactic words
        assert s.heads.count(0) >= 1 and all(0 <= h <= len(s) for h in s.heads)
    # no dev split: TOPPing reads the train split's forms (never the test split while another exists)
    target = corpus.targets["UD_Low_Saxon-LSDC"]
    assert target.unlabeled_from == "train"
    train_forms = {tuple(s.forms) for s in read_conllu(LSDC / "nds_lsdc-ud-train.conllu")}
    assert all(tuple(f) in train_forms for f in target.unlabeled)
    # writing the test split back (multiword tokens kept) scores 100 against the original file
    gold = LSDC / "nds_lsdc-ud-test.conllu"
    assert score_files(gold, write_conllu(tmp_path / "copy.conllu", test)) == {"las": 100.0, "uas": 100.0}
    # one wrong head in the whole file (re-attached to the root word: still a tree) costs one word
    heads = [list(s.heads) for s in test]
    root_word = heads[0].index(0) + 1
    m = next(i for i, h in enumerate(heads[0]) if h not in (0, root_word))
    heads[0][m] = root_word
    n_words = sum(len(s) for s in test)
    res = score_files(gold, write_conllu(tmp_path / "one.conllu", test, heads=heads))
    assert res["uas"] == pytest.approx(100.0 * (n_words - 1) / n_words)
    assert res["las"] <= res["uas"]
    assert len(read_conllu(gold)) == 500
