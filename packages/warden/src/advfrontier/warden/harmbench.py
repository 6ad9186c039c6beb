"""Paper-scale data from a local directory: HarmBench behaviours and targets, and utility chats.

Layout (as in the HarmBench repository's ``data/`` folder, and UltraChat as JSON lines)::

    <data_dir>/harmbench/behavior_datasets/harmbench_behaviors_text_test.csv
    <data_dir>/harmbench/behavior_datasets/harmbench_behaviors_text_val.csv
    <data_dir>/harmbench/behavior_datasets/extra_behavior_datasets/adv_training_behaviors.csv
    <data_dir>/harmbench/optimizer_targets/harmbench_targets_text.json
    <data_dir>/harmbench/optimizer_targets/extra_targets/adv_training_targets.json
    <data_dir>/ultrachat/train.jsonl   # {"messages": [{"role": "user", ...}, {"role": "assistant", ...}]}

CSV columns: Behavior, FunctionalCategory, SemanticCategory, Tags, ContextString, BehaviorID.
Targets JSON: {BehaviorID: "Sure, here's ..."} (a list of strings per id is accepted too).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from advfrontier.shared.data.errors import DataNotFoundError, require

HARMBENCH_SOURCE = "https://github.com/centerforaisafety/HarmBench (its data/ folder)"
ULTRACHAT_SOURCE = "https://huggingface.co/datasets/HuggingFaceH4/ultrachat_200k (train_sft, as JSON lines)"
SPLITS: dict[str, tuple[str, str]] = {
    "train": (
        "behavior_datasets/extra_behavior_datasets/adv_training_behaviors.csv",
        "optimizer_targets/extra_targets/adv_training_targets.json",
    ),
    "val": (
        "behavior_datasets/harmbench_behaviors_text_val.csv",
        "optimizer_targets/harmbench_targets_text.json",
    ),
    "test": (
        "behavior_datasets/harmbench_behaviors_text_test.csv",
        "optimizer_targets/harmbench_targets_text.json",
    ),
}
CSV_COLUMNS: tuple[str, ...] = (
    "Behavior",
    "FunctionalCategory",
    "SemanticCategory",
    "Tags",
    "ContextString",
    "BehaviorID",
)


@dataclass(frozen=True)
class Behaviour:
    """One HarmBench behaviour with its harmful target completions."""

    behavior_id: str
    prompt: str
    """The request as the model sees it (context string first for contextual behaviours)."""
    targets: tuple[str, ...]
    category: str
    behavior: str = ""
    """The bare request (HarmBench's ``Behavior`` column), as the classifier judge reads it."""
    context: str = ""
    """The context string of a contextual behaviour ("" otherwise)."""


def _prompt(row: dict[str, str]) -> str:
    context = (row.get("ContextString") or "").strip()
    return f"{context}\n\n---\n\n{row['Behavior']}" if context else row["Behavior"]


def load_harmbench(root: Path, split: str, include_copyright: bool = False) -> list[Behaviour]:
    """Behaviours of ``split`` (train = adv_training_behaviors) that have a target; copyright ones
    are left out by default (HarmBench judges them by hashing, not by a refusal judge)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {sorted(SPLITS)}, got {split!r}")
    csv_rel, json_rel = SPLITS[split]
    layout = f"<data_dir>/harmbench/{csv_rel} and <data_dir>/harmbench/{json_rel} exist"
    csv_path = require(root / csv_rel, f"HarmBench {split} behaviours", HARMBENCH_SOURCE, layout)
    json_path = require(root / json_rel, f"HarmBench {split} targets", HARMBENCH_SOURCE, layout)
    with csv_path.open(newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.DictReader(fh)
        missing = {"Behavior", "BehaviorID"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{csv_path}: missing column(s) {sorted(missing)}; expected {CSV_COLUMNS}")
        rows = list(reader)
    raw = json.loads(json_path.read_text(encoding="utf-8"))
    out = []
    for row in rows:
        tgt = raw.get(row["BehaviorID"])
        cat = row.get("FunctionalCategory") or "standard"
        if tgt is None or (cat == "copyright" and not include_copyright):
            continue
        targets = (tgt,) if isinstance(tgt, str) else tuple(str(t) for t in tgt)
        context = (row.get("ContextString") or "").strip()
        out.append(Behaviour(row["BehaviorID"], _prompt(row), targets, cat, row["Behavior"], context))
    if not out:
        raise DataNotFoundError(f"{csv_path}: no behaviour has a target in {json_path}")
    return out


def read_chats(path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(user, assistant) first turns of UltraChat-style JSON lines."""
    require(path, "utility chats", ULTRACHAT_SOURCE, f"{path} holds one JSON object with 'messages' per line")
    pairs: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            msgs = json.loads(line)["messages"]
            user = next((m["content"] for m in msgs if m["role"] == "user"), None)
            reply = next((m["content"] for m in msgs if m["role"] == "assistant"), None)
            if user and reply:
                pairs.append((user, reply))
            if limit is not None and len(pairs) >= limit:
                break
    if not pairs:
        raise DataNotFoundError(f"{path}: no (user, assistant) pair found")
    return pairs
