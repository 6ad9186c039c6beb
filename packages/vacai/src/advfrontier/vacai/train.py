"""Training and prediction for one parser on a set of source treebanks."""

from __future__ import annotations

import copy
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from advfrontier.shared.engine import capped
from advfrontier.shared.progress import Progress
from advfrontier.vacai.conllu_io import Sentence, require_annotated
from advfrontier.vacai.eisner import eisner
from advfrontier.vacai.vacai_bowl import VarietyParser, dann_schedule


@dataclass(frozen=True)
class TrainSettings:
    """What one training run needs from the config."""

    epochs: int
    batch_size: int
    lr: float
    encoder_lr: float
    lam_adv: float
    lam_spec: float
    lam_orth: float
    grl_schedule: bool
    max_steps: int | None = None
    clip: float = 5.0
    patience: int = 2
    """Epochs without a better dev LAS before stopping (when a dev set is given)."""


def label_vocab(train: Sequence[Sentence]) -> list[str]:
    """Sorted relation labels, subtypes kept (``nmod:poss``, ``obl:tmod``): the parser predicts full
    labels; the CoNLL 2018 scorer's LAS compares their universal part."""
    return sorted({d for s in train for d in s.deprels})


def attachment(
    gold: Sequence[Sentence], heads: Sequence[Sequence[int]], rels: Sequence[Sequence[str]]
) -> float:
    """LAS (%) over all words with full labels: the dev criterion of model selection."""
    hit = n = 0
    for s, hs, rs in zip(gold, heads, rels, strict=True):
        n += len(s)
        hit += sum(h == gh and r == gr for h, r, gh, gr in zip(hs, rs, s.heads, s.deprels, strict=True))
    return 100.0 * hit / max(n, 1)


def _targets(batch: Sequence[Sentence], rel_ids: Mapping[str, int], device: str) -> tuple[torch.Tensor, ...]:
    t = max(len(s) for s in batch) + 1
    heads = torch.zeros(len(batch), t, dtype=torch.long)
    rels = torch.zeros(len(batch), t, dtype=torch.long)
    for b, s in enumerate(batch):
        heads[b, 1 : len(s) + 1] = torch.tensor(s.heads)
        rels[b, 1 : len(s) + 1] = torch.tensor([rel_ids.get(d, 0) for d in s.deprels])
    return heads.to(device), rels.to(device)


def fit(
    model: VarietyParser,
    train: Sequence[Sentence],
    varieties: Sequence[str],
    rel_names: Sequence[str],
    st: TrainSettings,
    seed: int,
    device: str = "cpu",
    dev: Sequence[Sentence] = (),
    label: str = "",
) -> list[dict[str, float]]:
    """Train ``model`` on ``train`` (variety labels index ``varieties``); returns per-epoch mean losses
    (and ``dev_las``). With ``dev``: after every epoch the dev LAS is measured, the best epoch's weights
    are restored at the end, and training stops after ``st.patience`` epochs without improvement.
    ``label`` names the run in the per-epoch progress line on stderr (none when empty)."""
    require_annotated(train, "training data")
    if dev:
        require_annotated(dev, "dev data")
    rng = random.Random(seed)
    rel_ids = {r: i for i, r in enumerate(rel_names)}
    var_ids = {v: i for i, v in enumerate(varieties)}
    enc_params = list(model.encoder.parameters())
    enc_ids = {id(p) for p in enc_params}
    other = [p for p in model.parameters() if id(p) not in enc_ids]
    opt = torch.optim.Adam([{"params": enc_params, "lr": st.encoder_lr}, {"params": other, "lr": st.lr}])
    model.to(device).train()
    order = list(range(len(train)))
    steps_per_epoch = (len(order) + st.batch_size - 1) // st.batch_size
    total = (
        st.epochs * steps_per_epoch
        if st.max_steps is None
        else min(st.max_steps, st.epochs * steps_per_epoch)
    )
    limit = capped(total)  # --max-steps
    step, history = 0, []
    best, best_state, since = -1.0, None, 0
    progress = Progress(st.epochs, f"vacai {label}", "epoch", enabled=bool(label))
    for _ in range(st.epochs):
        if step >= limit:
            break
        rng.shuffle(order)
        sums: dict[str, float] = {}
        for k in range(0, len(order), st.batch_size):
            if step >= limit:
                break
            batch = [train[i] for i in order[k : k + st.batch_size]]
            heads, rels = _targets(batch, rel_ids, device)
            vs = torch.tensor([var_ids[s.variety] for s in batch], device=device)
            grl = dann_schedule(step / max(1, total)) if st.grl_schedule else 1.0
            loss, terms = model.loss(batch, heads, rels, vs, st.lam_adv, st.lam_spec, st.lam_orth, grl)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), st.clip)
            opt.step()
            step += 1
            for key, v in terms.items():
                sums[key] = sums.get(key, 0.0) + v / steps_per_epoch
        if dev:
            dev_las = attachment(dev, *predict(model, dev, rel_names, greedy=True))
            model.train()
            sums["dev_las"] = dev_las
            if dev_las > best:
                best, since = dev_las, 0
                best_state = copy.deepcopy(model.state_dict())
            else:
                since += 1
        history.append(sums)
        progress.step(note=f"dev LAS {sums['dev_las']:.1f}" if dev else "")
        if dev and since >= st.patience:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    return history


@torch.no_grad()
def predict(
    model: VarietyParser,
    sentences: Sequence[Sentence],
    rel_names: Sequence[str],
    batch_size: int = 64,
    greedy: bool = False,
) -> tuple[list[list[int]], list[list[str]]]:
    """Eisner-decoded heads (``greedy``: each word's best head, maybe not a tree; the fast dev
    criterion during training) and the best relation at each predicted head."""
    model.eval()
    all_heads, all_rels = [], []
    for k in range(0, len(sentences), batch_size):
        batch = sentences[k : k + batch_size]
        arc, rel, _ = model(batch)
        logp = torch.log_softmax(arc.float(), dim=-1).cpu().numpy()
        rel = rel.cpu()
        for b, s in enumerate(batch):
            n = len(s)
            scores = np.asarray(logp[b, : n + 1, : n + 1]).T  # scores[h, m]
            heads = scores[:, 1:].argmax(0).tolist() if greedy else eisner(scores)
            labels = rel[b, torch.arange(1, n + 1), torch.tensor(heads)].argmax(-1).tolist()
            all_heads.append(heads)
            all_rels.append([rel_names[i] for i in labels])
    return all_heads, all_rels
