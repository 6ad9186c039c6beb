"""A corpus of clips (frames × features) with speaker, session and agitation, and its speaker-grouped folds.

Synthetic miniature: speaker i has a trait vector τ_i ~ N(0, I_k) and a baseline b_i ~ N(0, 1); session j
has agitation y_ij = sigmoid(c·b_i + e_ij), e_ij ~ N(0, 1) (c: ``speaker_bias``, a confound tied to
identity). Frames of a clip mix the two through a fixed nonlinear map plus noise:

    x_t = tanh(A τ_i + (0.5 + y_ij) · B w_t + y_ij · m) + σ ε_t,   w_t AR(1) with coefficient 0.8 − 0.6·y_ij

so agitation raises the energy and the frame-to-frame jitter of some directions and shifts their mean,
while the speaker's trait sets the operating point of the tanh (the expression of state depends on trait).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class Corpus:
    """Clips as a tensor (N, T, F) with per-clip labels."""

    x: torch.Tensor
    agitation: torch.Tensor
    """(N,) float, the state label (per session)."""
    speaker: torch.Tensor
    """(N,) long, speaker index 0..S−1."""
    session: torch.Tensor
    """(N,) long, session index within the speaker."""

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def subset(self, idx: torch.Tensor) -> Corpus:
        return Corpus(self.x[idx], self.agitation[idx], self.speaker[idx], self.session[idx])


@dataclass(frozen=True)
class Fold:
    train: Corpus
    val: Corpus
    test: Corpus


def synthetic_corpus(
    n_speakers: int,
    sessions: int,
    clips_per_session: int,
    frames: int,
    n_features: int,
    trait_latent: int,
    speaker_bias: float,
    noise: float,
    seed: int,
) -> Corpus:
    """Generate the planted trait/state corpus described in the module docstring."""
    rng = np.random.default_rng(seed)
    k_state = 8
    a = rng.normal(0, 1.5 / np.sqrt(trait_latent), (n_features, trait_latent))
    b = rng.normal(0, 0.6 / np.sqrt(k_state), (n_features, k_state))
    m = rng.normal(0, 0.4, n_features)
    tau = rng.normal(0, 1, (n_speakers, trait_latent))
    base = rng.normal(0, 1, n_speakers)
    n = n_speakers * sessions * clips_per_session
    x = np.empty((n, frames, n_features), dtype=np.float32)
    y = np.empty(n, dtype=np.float32)
    spk = np.empty(n, dtype=np.int64)
    ses = np.empty(n, dtype=np.int64)
    i = 0
    for s in range(n_speakers):
        for j in range(sessions):
            ag = 1.0 / (1.0 + np.exp(-(speaker_bias * base[s] + rng.normal())))
            rho = 0.8 - 0.6 * ag
            for _ in range(clips_per_session):
                w = np.empty((frames, k_state))
                w[0] = rng.normal(size=k_state)
                for t in range(1, frames):
                    w[t] = rho * w[t - 1] + np.sqrt(1 - rho**2) * rng.normal(size=k_state)
                pre = a @ tau[s] + (0.5 + ag) * (w @ b.T) + ag * m
                x[i] = np.tanh(pre) + noise * rng.normal(size=(frames, n_features))
                y[i], spk[i], ses[i] = ag, s, j
                i += 1
    return Corpus(torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(spk), torch.from_numpy(ses))


def speaker_folds(corpus: Corpus, folds: int, fold: int, seed: int) -> Fold:
    """Speaker-grouped split: test = fold ``fold``, val = the next fold, train = the rest."""
    speakers = torch.unique(corpus.speaker)
    if len(speakers) < folds:
        raise ValueError(f"{len(speakers)} speakers cannot fill {folds} folds")
    g = torch.Generator().manual_seed(seed)
    perm = speakers[torch.randperm(len(speakers), generator=g)]
    groups = [perm[k::folds] for k in range(folds)]
    test_spk, val_spk = groups[fold % folds], groups[(fold + 1) % folds]
    in_test = torch.isin(corpus.speaker, test_spk)
    in_val = torch.isin(corpus.speaker, val_spk)
    train = corpus.subset(torch.nonzero(~in_test & ~in_val).flatten())
    return Fold(
        train, corpus.subset(torch.nonzero(in_val).flatten()), corpus.subset(torch.nonzero(in_test).flatten())
    )
