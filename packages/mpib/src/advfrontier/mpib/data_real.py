"""Bridge2AI-Voice frame features from a local directory (format assumed; nothing is downloaded).

Layout expected under ``DIR/bridge2ai_voice/``:

    recordings.tsv          tab-separated with a header: participant_id session_id recording_id agitation
    features/<recording_id>.npy   float32 array (frames, n_features), e.g. 40 log-mel bands at 100 frames/s

The paper's exact features and agitation label were not retrievable; this layout is our assumption (see the
README). Clips are cropped (centre) or edge-padded to ``frames`` frames.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import torch

from advfrontier.mpib.data import Corpus
from advfrontier.shared.data.errors import require, resolve_data_dir

SUBDIR = "bridge2ai_voice"
SOURCE = (
    "Bridge2AI-Voice on PhysioNet (https://physionet.org/content/b2ai-voice/, credentialed access under its "
    "data use agreement); extract frame features per recording yourself"
)
LAYOUT = (
    f"DIR/{SUBDIR}/recordings.tsv (participant_id, session_id, recording_id, agitation) and "
    f"DIR/{SUBDIR}/features/<recording_id>.npy (frames × features, float32)"
)
COLUMNS = ("participant_id", "session_id", "recording_id", "agitation")


def fit_length(a: np.ndarray, frames: int) -> np.ndarray:
    """Centre-crop or edge-pad a (T, F) array to ``frames`` rows."""
    t = a.shape[0]
    if t >= frames:
        start = (t - frames) // 2
        return a[start : start + frames]
    return np.pad(a, ((0, frames - t), (0, 0)), mode="edge")


def read_bridge2ai(data_dir: str | Path | None, frames: int) -> Corpus:
    """Read every listed recording; speakers and sessions are re-indexed in order of first appearance."""
    root = resolve_data_dir(data_dir, "Bridge2AI-Voice features") / SUBDIR
    table = require(root / "recordings.tsv", "Bridge2AI-Voice recording table", SOURCE, LAYOUT)
    with table.open(newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if not rows or any(c not in rows[0] for c in COLUMNS):
        raise ValueError(f"{table} must have a header with columns {COLUMNS}")
    spk_ids: dict[str, int] = {}
    ses_ids: dict[tuple[str, str], int] = {}
    xs, ys, spk, ses = [], [], [], []
    for r in rows:
        path = require(
            root / "features" / f"{r['recording_id']}.npy", "Bridge2AI-Voice features", SOURCE, LAYOUT
        )
        a = np.load(path).astype(np.float32)
        if a.ndim != 2:
            raise ValueError(f"{path}: expected a (frames, features) array, got shape {a.shape}")
        s = spk_ids.setdefault(r["participant_id"], len(spk_ids))
        key = (r["participant_id"], r["session_id"])
        if key not in ses_ids:
            ses_ids[key] = sum(1 for k in ses_ids if k[0] == r["participant_id"])
        xs.append(fit_length(a, frames))
        ys.append(float(r["agitation"]))
        spk.append(s)
        ses.append(ses_ids[key])
    return Corpus(
        torch.from_numpy(np.stack(xs)),
        torch.tensor(ys, dtype=torch.float32),
        torch.tensor(spk, dtype=torch.long),
        torch.tensor(ses, dtype=torch.long),
    )


def write_tiny_bridge2ai(
    root: str | Path, n_speakers: int, sessions: int, frames: int, n_features: int, seed: int
) -> Path:
    """Write a tiny corpus in the layout above (for tests): one recording per session, random features."""
    rng = np.random.default_rng(seed)
    base = Path(root) / SUBDIR
    (base / "features").mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(COLUMNS)]
    for s in range(n_speakers):
        for j in range(sessions):
            for k in range(2):
                rid = f"P{s:03d}_S{j}_R{k}"
                t = frames + int(rng.integers(-3, 4))
                np.save(base / "features" / f"{rid}.npy", rng.normal(size=(t, n_features)).astype(np.float32))
                lines.append(f"P{s:03d}\tS{j}\t{rid}\t{rng.uniform():.4f}")
    (base / "recordings.tsv").write_text("\n".join(lines) + "\n")
    return Path(root)
