"""Readers of the paper's data sets in their released formats, from a local directory only.

Layout under ``data_dir`` (or $ADVFRONTIER_DATA); label 1 = machine-generated:

- ``raid/train.csv``: RAID's CSV (columns ``generation``, ``model``, ``attack``; ``model == "human"``: human,
  only ``attack == "none"`` rows are read); 80/20 split by row hash into train/test.
- ``detectrl/train.json``, ``detectrl/test.json``: DetectRL task files, a JSON list of objects with
  ``text`` and ``label`` ("human" / "llm", or 0 / 1).
- ``outfox/{train,test}/{train,test}_humans.pkl`` and ``..._lms.pkl``: OUTFOX's pickled lists of essays.
- ``semeval2024_task8/subtaskA_{train,dev}_monolingual.jsonl``: ``text``, ``label`` (0 human, 1 machine);
  dev is the test split.
- ``hc3/all.jsonl``: HC3 (``human_answers``, ``chatgpt_answers`` lists); only for OOD testing.
"""

from __future__ import annotations

import csv
import json
import pickle
import zlib
from pathlib import Path

import numpy as np

from advfrontier.fight_poison.mini_data import Labelled
from advfrontier.shared.data.errors import require, resolve_data_dir

SOURCES = {
    "raid": "https://github.com/liamdugan/raid (train.csv from the RAID release)",
    "detectrl": "https://github.com/NLP2CT/DetectRL (Benchmark task JSON files)",
    "outfox": "https://github.com/ryuryukke/OUTFOX (data/common/{train,test})",
    "semeval": "https://github.com/mbzuai-nlp/SemEval2024-task8 (subtask A, monolingual)",
    "hc3": "https://huggingface.co/datasets/Hello-SimpleAI/HC3 (all.jsonl)",
}


def _need(root: Path, rel: str, name: str) -> Path:
    return require(root / rel, f"{name} data", SOURCES[name], f"{root / rel} exists")


def _labelled(texts: list[str], labels: list[int]) -> Labelled:
    keep = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
    return Labelled([texts[i] for i in keep], np.array([int(labels[i]) for i in keep], dtype=int))


def _label(v: object) -> int:
    if isinstance(v, str):
        v = v.strip().lower()
        if v in ("human", "0"):
            return 0
        if v in ("llm", "machine", "ai", "1"):
            return 1
        raise ValueError(f"unknown label {v!r}")
    return int(v)  # type: ignore[arg-type]


def read_raid(root: Path) -> tuple[Labelled, Labelled]:
    path = _need(root, "raid/train.csv", "raid")
    parts: dict[bool, tuple[list[str], list[int]]] = {True: ([], []), False: ([], [])}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row.get("attack", "none") != "none":
                continue
            is_test = zlib.crc32(row["generation"].encode()) % 5 == 0
            parts[is_test][0].append(row["generation"])
            parts[is_test][1].append(0 if row["model"] == "human" else 1)
    return _labelled(*parts[False]), _labelled(*parts[True])


def _read_json_list(path: Path) -> Labelled:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return _labelled([r["text"] for r in rows], [_label(r["label"]) for r in rows])


def _read_jsonl(path: Path) -> Labelled:
    rows = [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return _labelled([r["text"] for r in rows], [_label(r["label"]) for r in rows])


def _read_outfox(root: Path, split: str) -> Labelled:
    texts, labels = [], []
    for kind, lab in (("humans", 0), ("lms", 1)):
        path = _need(root, f"outfox/{split}/{split}_{kind}.pkl", "outfox")
        with path.open("rb") as f:  # the released format is a pickle; only open files you trust
            items = list(pickle.load(f))
        texts += items
        labels += [lab] * len(items)
    return _labelled(texts, labels)


def read_hc3(root: Path) -> Labelled:
    path = _need(root, "hc3/all.jsonl", "hc3")
    texts, labels = [], []
    for ln in path.read_text(encoding="utf-8").splitlines():
        if ln.strip():
            r = json.loads(ln)
            texts += r.get("human_answers", []) + r.get("chatgpt_answers", [])
            labels += [0] * len(r.get("human_answers", [])) + [1] * len(r.get("chatgpt_answers", []))
    return _labelled(texts, labels)


def read_dataset(name: str, data_dir: str | Path | None) -> tuple[Labelled, Labelled]:
    """(train, test) of a paper data set; raises DataNotFoundError naming the missing file."""
    root = resolve_data_dir(data_dir, f"the {name} data set")
    if name == "raid":
        return read_raid(root)
    if name == "detectrl":
        return (
            _read_json_list(_need(root, "detectrl/train.json", name)),
            _read_json_list(_need(root, "detectrl/test.json", name)),
        )
    if name == "outfox":
        return _read_outfox(root, "train"), _read_outfox(root, "test")
    if name == "semeval":
        d = "semeval2024_task8"
        return (
            _read_jsonl(_need(root, f"{d}/subtaskA_train_monolingual.jsonl", name)),
            _read_jsonl(_need(root, f"{d}/subtaskA_dev_monolingual.jsonl", name)),
        )
    if name == "hc3":
        data = read_hc3(root)
        return data, data
    raise ValueError(f"unknown data set {name!r}; expected one of {sorted(SOURCES)}")


def balanced_sample(
    data: Labelled, per_class: int, rng: np.random.Generator, exclude: set[str] = frozenset()
):
    """Up to ``per_class`` texts of each class, drawn without replacement, avoiding ``exclude``."""
    idx = []
    for c in (0, 1):
        pool = [i for i in np.flatnonzero(data.labels == c) if data.texts[i] not in exclude]
        idx += list(rng.choice(pool, min(per_class, len(pool)), replace=False))
    idx = [idx[i] for i in rng.permutation(len(idx))]
    return Labelled([data.texts[i] for i in idx], data.labels[idx])
