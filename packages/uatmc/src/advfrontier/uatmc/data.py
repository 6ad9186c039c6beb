"""MMRec-format data: the reader (real Amazon sets from a local directory) and the synthetic writer.

MMRec layout, per data set ``{ds}`` under ``DIR/{ds}/``:
``{ds}.inter`` (tab-separated, header ``userID itemID rating timestamp x_label``, x_label 0/1/2 =
train/valid/test), ``image_feat.npy`` (N, 4096) and ``text_feat.npy`` (N, 384), row i = itemID i.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from advfrontier.shared.data.errors import DataNotFoundError, require, resolve_data_dir

COLUMNS = ("userID", "itemID", "rating", "timestamp", "x_label")
SOURCE = (
    "the MMRec data sets (github.com/enoche/MMRec, README 'Data': Google Drive link to baby/sports/clothing)"
)


@dataclass(frozen=True)
class MMData:
    """Interactions split by x_label, and the raw item features (row i = item i)."""

    n_users: int
    n_items: int
    train: np.ndarray
    """(n, 2) int64 pairs (user, item) with x_label 0."""
    valid: np.ndarray
    test: np.ndarray
    v_feat: np.ndarray
    """(n_items, d_v) float32 raw visual features."""
    t_feat: np.ndarray
    """(n_items, d_t) float32 raw text features."""


def read_inter(path: Path) -> np.ndarray:
    """Read an MMRec ``.inter`` file into an (n, 3) int64 array of (user, item, x_label)."""
    with open(path) as fh:
        header = fh.readline().rstrip("\n").split("\t")
        missing = [c for c in ("userID", "itemID", "x_label") if c not in header]
        if missing:
            raise ValueError(f"{path}: header {header} lacks column(s) {missing}")
        cols = [header.index(c) for c in ("userID", "itemID", "x_label")]
        rows = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
    arr = np.array([[int(float(r[c])) for c in cols] for r in rows], dtype=np.int64).reshape(-1, 3)
    if len(arr) and not set(np.unique(arr[:, 2])) <= {0, 1, 2}:
        raise ValueError(f"{path}: x_label must be 0, 1 or 2")
    return arr


def load_mmrec(data_dir: str | Path | None, dataset: str) -> MMData:
    """Load ``DIR/{dataset}/`` in MMRec format; raise DataNotFoundError naming any missing file."""
    root = resolve_data_dir(data_dir, f"MMRec data set {dataset!r}") / dataset
    layout = f"DIR/{dataset}/{{{dataset}.inter, image_feat.npy, text_feat.npy}}"
    inter = read_inter(require(root / f"{dataset}.inter", f"MMRec {dataset}", SOURCE, layout))
    v = np.load(require(root / "image_feat.npy", f"MMRec {dataset}", SOURCE, layout)).astype(np.float32)
    t = np.load(require(root / "text_feat.npy", f"MMRec {dataset}", SOURCE, layout)).astype(np.float32)
    if v.shape[0] != t.shape[0]:
        raise ValueError(f"{root}: image_feat has {v.shape[0]} rows but text_feat has {t.shape[0]}")
    n_items = v.shape[0]
    if len(inter) and inter[:, 1].max() >= n_items:
        raise ValueError(f"{root}: itemID {inter[:, 1].max()} has no feature row (only {n_items})")
    n_users = int(inter[:, 0].max()) + 1 if len(inter) else 0
    pick = {lab: inter[inter[:, 2] == lab][:, :2] for lab in (0, 1, 2)}
    return MMData(n_users, n_items, pick[0], pick[1], pick[2], v, t)


def write_mmrec(root: Path, dataset: str, inter: np.ndarray, v_feat: np.ndarray, t_feat: np.ndarray) -> Path:
    """Write (user, item, x_label) rows and features in MMRec format under ``root/dataset/``."""
    out = root / dataset
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"{dataset}.inter", "w") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for k, (u, i, lab) in enumerate(inter):
            fh.write(f"{u}\t{i}\t5.0\t{1_600_000_000 + k}\t{lab}\n")
    np.save(out / "image_feat.npy", v_feat.astype(np.float32))
    np.save(out / "text_feat.npy", t_feat.astype(np.float32))
    return out


def mmrec_split(user_items: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """MMRec's per-user split: < 10 items → one valid, one test; else 80/10/10 (shuffled)."""
    rows = []
    for u, items in enumerate(user_items):
        items = rng.permutation(items)
        n = len(items)
        n_val = n_test = 1 if n < 10 else round(0.1 * n)
        labels = np.zeros(n, dtype=np.int64)
        labels[n - n_val - n_test : n - n_test] = 1
        labels[n - n_test :] = 2
        rows += [(u, int(i), int(lab)) for i, lab in zip(items, labels, strict=True)]
    return np.array(rows, dtype=np.int64)


def synthetic_interactions(
    n_users: int,
    n_items: int,
    k: int,
    v_dim: int,
    t_dim: int,
    noise: float,
    per_user: int,
    temp: float,
    two_groups: bool,
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Planted multimodal data: item latents z_v, z_t; features A_m·z_m + noise; users' tastes.

    Two-group data: half the users score items by a_u·z_v only, the other half by b_u·z_t only.
    Control: every user scores by (a_u·z_v + b_u·z_t)/√2. Returns (inter, v_feat, t_feat, group),
    group[u] = 0 visual, 1 text, 2 both.
    """
    rng = np.random.default_rng(seed)
    z_v, z_t = rng.normal(size=(n_items, k)), rng.normal(size=(n_items, k))
    a_v, a_t = rng.normal(size=(k, v_dim)) / np.sqrt(k), rng.normal(size=(k, t_dim)) / np.sqrt(k)
    v_feat = z_v @ a_v + noise * rng.normal(size=(n_items, v_dim))
    t_feat = z_t @ a_t + noise * rng.normal(size=(n_items, t_dim))
    a_u, b_u = rng.normal(size=(n_users, k)), rng.normal(size=(n_users, k))
    a_u /= np.linalg.norm(a_u, axis=1, keepdims=True)
    b_u /= np.linalg.norm(b_u, axis=1, keepdims=True)
    if two_groups:
        group = np.arange(n_users) % 2
        scores = np.where(group[:, None] == 0, a_u @ z_v.T, b_u @ z_t.T)
    else:
        group = np.full(n_users, 2)
        scores = (a_u @ z_v.T + b_u @ z_t.T) / np.sqrt(2)
    user_items = []
    for u in range(n_users):
        p = np.exp(temp * (scores[u] - scores[u].max()))
        user_items.append(rng.choice(n_items, size=per_user, replace=False, p=p / p.sum()))
    inter = mmrec_split(user_items, rng)
    return inter, v_feat.astype(np.float32), t_feat.astype(np.float32), group


def load_data(cfg: object, seed: int, root: Path, two_groups: bool = True) -> MMData:
    """The data set of ``cfg``: synthetic (written to ``root`` in MMRec format, read back), MovieLens-100k
    from the recbole wheel's files (`real` scale), or an MMRec data set from ``cfg.data_dir``."""
    if cfg.dataset == "ml100k":  # type: ignore[attr-defined]
        from advfrontier.uatmc.real import load_ml100k

        return load_ml100k(seed, cfg.kg_min_count)  # type: ignore[attr-defined]
    if cfg.dataset != "synthetic":  # type: ignore[attr-defined]
        return load_mmrec(cfg.data_dir, cfg.dataset)  # type: ignore[attr-defined]
    name = "synthetic" if two_groups else "synthetic_control"
    inter, v, t, _ = synthetic_interactions(
        cfg.n_users,
        cfg.n_items,
        cfg.n_factors,
        cfg.v_dim,
        cfg.t_dim,
        cfg.feat_noise,  # type: ignore[attr-defined]
        cfg.inters_per_user,
        cfg.taste_temp,
        two_groups,
        seed,  # type: ignore[attr-defined]
    )
    write_mmrec(root, name, inter, v, t)
    return load_mmrec(root, name)


def target_candidates(data: MMData, cfg: object) -> np.ndarray | None:
    """Items the attack may target: None (all items) or the cold items (≤ cfg.cold_max training pairs)."""
    if cfg.target_pool == "all":  # type: ignore[attr-defined]
        return None
    counts = np.bincount(data.train[:, 1], minlength=data.n_items)
    cold = np.flatnonzero(counts <= cfg.cold_max)  # type: ignore[attr-defined]
    if len(cold) == 0:
        raise ValueError(f"no cold items (≤ {cfg.cold_max} training interactions) to target")  # type: ignore[attr-defined]
    return cold


__all__ = [
    "DataNotFoundError",
    "MMData",
    "load_data",
    "load_mmrec",
    "read_inter",
    "target_candidates",
    "write_mmrec",
]
