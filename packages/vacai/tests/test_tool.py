"""The parser as a tool: split files, sampled caps, unannotated files, pass-through of what it does not
predict, save/load and ``python -m advfrontier.vacai parse``, kept parses, explicit one-source fallback."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import torch

from advfrontier.vacai.__main__ import main
from advfrontier.vacai.config import REAL, SMOKE
from advfrontier.vacai.conllu_io import ConlluError, read_conllu, write_conllu
from advfrontier.vacai.data import BUNDLED, Corpus, Target, cap, load_ud
from advfrontier.vacai.encoder import ScratchEncoder
from advfrontier.vacai.model_io import ModelFileError, load_model, save_model
from advfrontier.vacai.paper import run, select_sources
from advfrontier.vacai.scoring import score_files
from advfrontier.vacai.synth import SOURCES, generate
from advfrontier.vacai.train import label_vocab, predict
from advfrontier.vacai.vacai_bowl import VarietyParser

LASSY = BUNDLED / "ud" / "UD_Dutch-LassySmall" / "nl_lassysmall-ud-dev.conllu"


def _with_empty_nodes(tmp_path: Path, n: int = 4) -> Path:
    """The first ``n`` LassySmall sentences that contain empty nodes (real data, DEPS filled)."""
    blocks = LASSY.read_text(encoding="utf-8").split("\n\n")
    keep = [b for b in blocks if any(ln.split("\t")[0].count(".") == 1 for ln in b.splitlines())][:n]
    assert len(keep) == n
    path = tmp_path / "empty.conllu"
    path.write_text("\n\n".join(keep) + "\n\n", encoding="utf-8")
    return path


def test_split_treebank_files_load_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "ud" / "UD_German-HDT"
    parts = {name: generate(SOURCES[i], 3 + i, i) for i, name in enumerate(("a-1", "a-2", "b-1"))}
    for name, sents in reversed(list(parts.items())):
        write_conllu(folder / f"de_hdt-ud-train-{name}.conllu", sents)
    tgt = tmp_path / "ud" / "UD_T-X"
    write_conllu(tgt / "t_x-ud-test.conllu", generate(SOURCES[4], 5, 9))
    cfg = dataclasses.replace(
        SMOKE,
        data="ud",
        data_dir=str(tmp_path),
        sources=("UD_German-HDT", "UD_T-X:test"),
        targets=("UD_T-X",),
    )
    corpus = load_ud(cfg, seed=0)
    got = corpus.sources["UD_German-HDT"] + corpus.dev["UD_German-HDT"]
    assert len(got) == 3 + 4 + 5
    expected = [s.forms for part in parts.values() for s in part]
    assert sorted(s.forms for s in got) == sorted(expected)
    # "<Treebank>:<split>" uses that split as training material
    assert len(corpus.sources["UD_T-X"]) + len(corpus.dev["UD_T-X"]) == 5


def test_cap_samples_across_the_file_and_keeps_order() -> None:
    sents = generate(SOURCES[0], 200, 0)
    got = cap(sents, 20, seed=1, tag="x")
    idx = [sents.index(s) for s in got]
    assert len(got) == 20 and idx == sorted(idx) and idx != list(range(20)) and max(idx) > 100
    assert cap(sents, 20, 1, "x") == got and cap(sents, 20, 2, "x") != got
    assert cap(sents, 0, 1, "x") is sents


def test_unannotated_training_file_raises_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "raw.conllu"
    path.write_text(
        "# text = a b\n1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n2\tb\t_\t_\t_\t_\t_\t_\t_\t_\n\n", encoding="utf-8"
    )
    sents = read_conllu(path)
    assert len(sents) == 1 and not sents[0].annotated
    rc = main(["train", "--train", str(path), "--out", str(tmp_path / "m.pt"), "--epochs", "1"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "no HEAD/DEPREL annotation" in err and "\n" not in err
    bad = tmp_path / "bad.conllu"
    bad.write_text("1\ta\tb\n\n", encoding="utf-8")
    with pytest.raises(ConlluError, match=r"bad\.conllu:1\+0: expected 10 tab-separated columns"):
        read_conllu(bad)


def test_train_save_load_and_parse_pass_through_empty_nodes(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src = _with_empty_nodes(tmp_path)
    train = tmp_path / "train.conllu"
    write_conllu(train, read_conllu(LASSY)[:40])
    model_path = tmp_path / "m.pt"
    args = ["train", "--train", str(train), "--out", str(model_path), "--epochs", "2", "--hidden", "16"]
    args += ["--emb-dim", "16", "--char-dim", "8", "--branch-dim", "8", "--arc-dim", "16", "--rel-dim", "8"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["parse", str(model_path), str(src)]) == 0
    out = capsys.readouterr().out
    gold_lines, pred_lines = src.read_text().splitlines(), out.splitlines()
    assert len(gold_lines) == len(pred_lines)
    n_empty = 0
    for g, p in zip(gold_lines, pred_lines, strict=True):
        gc, pc = g.split("\t"), p.split("\t")
        if len(gc) < 10 or not gc[0].isdigit():  # comments, MWT ranges, empty nodes: untouched
            n_empty += "." in gc[0]
            assert g == p
            continue
        assert pc[:2] == gc[:2] and pc[2:6] == ["_"] * 4  # only predicted columns carry predictions
        assert pc[8:] == gc[8:]  # DEPS and MISC untouched
    assert n_empty >= 4
    pred = tmp_path / "pred.conllu"
    pred.write_text(out, encoding="utf-8")
    res = score_files(src, pred)  # the CoNLL 2018 scorer accepts the file
    assert 0.0 <= res["las"] <= res["uas"] <= 100.0
    # a reloaded model predicts what the trained one predicted
    model, rels = load_model(model_path)
    again = tmp_path / "again.conllu"
    assert main(["parse", str(model_path), str(src), "-o", str(again)]) == 0
    assert again.read_text() == out
    assert predict(model, read_conllu(src), rels)[0] == [
        [int(ln.split("\t")[6]) for ln in b.splitlines() if ln.split("\t")[0].isdigit()]
        for b in out.strip().split("\n\n")
    ]
    assert set(rels) <= {d for s in read_conllu(train) for d in s.deprels}
    assert any(":" in r for r in rels)  # subtypes kept
    with pytest.raises(ModelFileError, match="not a saved vacai parser"):
        load_model(src)


def test_save_load_round_trip_is_exact(tmp_path: Path) -> None:
    torch.manual_seed(0)
    sents = generate(SOURCES[1], 12, 0)
    rels = label_vocab(sents)
    enc = ScratchEncoder(sents, emb_dim=8, hidden=8, char_dim=4, buckets=64)
    model = VarietyParser(enc, "vacai", len(rels), 2, 6, 8, 4, 0.0).eval()
    path = save_model(tmp_path / "m.pt", model, rels, ["a", "b"])
    loaded, rels2 = load_model(path)
    assert rels2 == rels
    assert predict(model, sents, rels) == predict(loaded, sents, rels)


def test_one_source_nucleus_is_extended_and_one_variety_model_raises() -> None:
    srcs = {v.name: generate(v, 30, 0) for v in SOURCES[:3]}
    target = Target(generate(SOURCES[0], 5, 0), [s.forms for s in generate(SOURCES[0], 40, 5)])
    corpus = Corpus(srcs, {k: v[:2] for k, v in srcs.items()}, {"T": target})
    cfg = dataclasses.replace(SMOKE, topp_p=0.5, topp_temperature=0.01)
    sel = select_sources(cfg, corpus, 0)["T"]
    assert sel["topping_vacai"][0] == "S0" and len(sel["topping_vacai"]) == 2 and sel["extended"] == ["yes"]
    assert sel["single_source"] == ["S0"]
    one = select_sources(dataclasses.replace(cfg, topp_min_sources=1), corpus, 0)["T"]
    assert one["topping_vacai"] == ["S0"] and one["extended"] == []
    enc = ScratchEncoder(srcs["S0"], emb_dim=4, hidden=4)
    with pytest.raises(ValueError, match="at least 2 source varieties"):
        VarietyParser(enc, "vacai", 3, 1, 4, 4, 4, 0.0)
    with pytest.raises(ValueError, match="topp_min_sources"):
        select_sources(dataclasses.replace(cfg, topp_min_sources=4), corpus, 0)


def test_smoke_run_keeps_parses_and_per_target_scores(tmp_path: Path) -> None:
    cfg = dataclasses.replace(
        SMOKE,
        train_per_source=12,
        test_per_target=4,
        unlabeled_per_target=10,
        max_steps=1,
        epochs=1,
        keep_parses=True,
        work_dir=str(tmp_path / "smoke-work"),
        methods=("all_source", "topping_vacai"),
    )
    metrics = run(cfg, 0)
    kept = tmp_path / "smoke-parses" / "seed0"
    table = json.loads((kept / "scores.json").read_text())
    assert set(table["scores"]["all_source"]) == {"T0", "T1", "T2"}
    assert metrics["all_source/las@T1"] == table["scores"]["all_source"]["T1"]["las"]
    assert metrics["all_source/las"] == pytest.approx(
        sum(metrics[f"all_source/las@T{i}"] for i in range(3)) / 3
    )
    assert len(list(kept.glob("*.pred.conllu"))) >= 3


def test_real_config_runs_a_few_steps_on_the_committed_treebanks(tmp_path: Path) -> None:
    cfg = dataclasses.replace(
        REAL,
        seeds=1,
        train_per_source=20,
        test_per_target=10,
        unlabeled_per_target=20,
        in_domain_train=20,
        emb_dim=8,
        char_dim=4,
        hidden=8,
        lstm_layers=1,
        ngram_buckets=256,
        branch_dim=8,
        arc_dim=8,
        rel_dim=8,
        epochs=1,
        max_steps=1,
        work_dir=str(tmp_path / "real-work"),
    )
    metrics = run(cfg, 0)
    for t in ("Swiss_German-UZH", "Low_Saxon-LSDC"):
        for m in cfg.methods:
            assert 0.0 <= metrics[f"{m}/las@{t}"] <= metrics[f"{m}/uas@{t}"] <= 100.0
    assert 0.0 <= metrics["in_domain/las"] <= 100.0
    assert 2 <= metrics["topping_vacai/n_sources"] <= 4
    table = json.loads((tmp_path / "real-parses" / "seed0" / "scores.json").read_text())
    assert table["unlabeled_from"] == {"UD_Swiss_German-UZH": "test", "UD_Low_Saxon-LSDC": "train"}


def test_reproduce_rejects_unknown_config_fields(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"epochs": 1, "no_such_field": 3}))
    assert main(["reproduce", "--scale", "smoke", "--config", str(cfg), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown config field(s) ['no_such_field']" in err and err.count("\n") == 1
