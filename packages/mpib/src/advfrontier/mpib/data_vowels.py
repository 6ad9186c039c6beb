"""The `real` scale: real speakers (UCI Japanese Vowels, shipped by sktime) with a planted state label.

What is real: 640 utterances of /ae/ by 9 male speakers, 12 LPC cepstral coefficients per frame, 7–29
frames (Kudo, Toyama & Shimbo 1999), read directly from sktime's ``JapaneseVowels_{TRAIN,TEST}.ts`` files
(sktime itself is not imported). Speaker identity is the trait.

What is planted (the data set has no state label): each speaker's utterances, in file order, are cut into
``sessions`` consecutive blocks; block j of speaker i gets a state y_ij = sigmoid(c·b_i + e_ij),
b_i, e_ij ~ N(0, 1) (c = ``speaker_bias``: the same identity confound as the synthetic corpus), and its
frames are changed as agitation changes voice in the synthetic corpus, raising energy and frame-to-frame
jitter:

    x'_t = (1 + a·y) · x_t + a·y·σ ⊙ ε_t,   ε_t ~ N(0, I),

with σ the per-coefficient std over all frames and a = ``strength``. Everything the model knows about y
comes from this planted change; ρ on this scale measures recovery of a planted signal from real voices,
the leakage metrics measure real speaker identity left in the state code.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import torch

from advfrontier.mpib.data import Corpus
from advfrontier.mpib.data_real import fit_length
from advfrontier.shared.data.errors import DataNotFoundError

FILES = ("JapaneseVowels_TRAIN.ts", "JapaneseVowels_TEST.ts")


def vowels_dir() -> Path:
    """sktime's bundled JapaneseVowels folder, found without importing sktime."""
    spec = importlib.util.find_spec("sktime")
    if spec is None or spec.origin is None:
        raise DataNotFoundError("JapaneseVowels needs the sktime package (uv sync installs it with mpib)")
    folder = Path(spec.origin).parent / "datasets" / "data" / "JapaneseVowels"
    missing = [f for f in FILES if not (folder / f).exists()]
    if missing:
        raise DataNotFoundError(f"sktime lacks {missing} under {folder}; reinstall sktime>=1.2")
    return folder


def read_ts(path: Path) -> tuple[list[np.ndarray], list[str]]:
    """A multivariate .ts file: one case per line, dimensions separated by ':', the class label last."""
    series, labels = [], []
    in_data = False
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            in_data = line.lower() == "@data"
            continue
        *dims, label = line.split(":")
        series.append(np.array([[float(v) for v in d.split(",")] for d in dims], dtype=np.float32).T)
        labels.append(label.strip())
    return series, labels


def japanese_vowels_corpus(
    frames: int, sessions: int, speaker_bias: float, strength: float, seed: int, folder: Path | None = None
) -> Corpus:
    """Real speakers, planted state (see the module docstring); clips edge-padded/cropped to ``frames``."""
    folder = folder or vowels_dir()
    series, labels = [], []
    for f in FILES:
        s, lab = read_ts(folder / f)
        series += s
        labels += lab
    speakers = sorted(set(labels), key=lambda v: (len(v), v))
    spk = np.array([speakers.index(v) for v in labels])
    rng = np.random.default_rng(seed)
    sigma = np.concatenate(series).std(0)
    base = rng.normal(size=len(speakers))
    xs = np.empty((len(series), frames, series[0].shape[1]), dtype=np.float32)
    y = np.empty(len(series), dtype=np.float32)
    ses = np.empty(len(series), dtype=np.int64)
    for s in range(len(speakers)):
        idx = np.flatnonzero(spk == s)
        for j, block in enumerate(np.array_split(idx, sessions)):
            ag = 1.0 / (1.0 + np.exp(-(speaker_bias * base[s] + rng.normal())))
            for i in block:
                x = series[i]
                x = (1 + strength * ag) * x + strength * ag * sigma * rng.normal(size=x.shape)
                xs[i] = fit_length(x.astype(np.float32), frames)
                y[i], ses[i] = ag, j
    return Corpus(torch.from_numpy(xs), torch.from_numpy(y), torch.from_numpy(spk), torch.from_numpy(ses))
