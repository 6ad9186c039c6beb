"""Training: the vulnerable base (SFT), then preference alignment (SecAlign or LocalAlign) with one budget."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from advfrontier.localalign.data import Data, base_example
from advfrontier.localalign.dpo import AdaptiveBeta, dpo_loss, margin_aware_dpo_loss
from advfrontier.localalign.model import TinyLM
from advfrontier.localalign.pairs import Pair
from advfrontier.localalign.seqs import pack, sequence_logp, token_logps
from advfrontier.localalign.task import EOS, encode
from advfrontier.shared.engine import capped


def train_base(
    model: TinyLM, pool: Sequence[Data], steps: int, batch: int, lr: float, inject_share: float, seed: int
) -> None:
    """Instruction-tune from scratch on answers to the last instruction seen (a vulnerable base)."""
    rng = random.Random(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1)
    model.train()
    for _ in range(capped(steps)):  # --max-steps
        ex = [base_example(rng.choice(pool), rng, inject_share) for _ in range(batch)]
        ids, mask = pack([encode(e.prompt_tokens) for e in ex], [[*encode(e.answer), EOS] for e in ex])
        loss = -(token_logps(model(ids), ids) * mask).sum() / mask.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()


@dataclass(frozen=True)
class PrefConfig:
    steps: int
    batch: int
    lr: float
    beta0: float
    max_grad_norm: float = 1.0
    retain: float = 0.0
    """Weight of the retain term: per-token NLL of the chosen (clean-task) response, as SecAlign's SFT."""


LossFn = Callable[[Tensor, Tensor, Tensor, Tensor], Tensor]


def preference_train(
    policy: TinyLM,
    pairs: Sequence[Pair],
    cfg: PrefConfig,
    loss_fn: LossFn,
    seed: int,
    steps: int,
    stop: Callable[[int], bool] | None = None,
    check_every: int = 0,
    retain_set: Sequence[Pair] | None = None,
) -> int:
    """Up to ``steps`` AdamW steps on shuffled pairs; the reference is a frozen copy of ``policy`` at entry.
    Every ``check_every`` steps ``stop(steps_done)`` may end training early (budget chosen on validation).
    The retain term is the NLL of the chosen responses, or, with ``retain_set``, of a batch of clean
    prompts' answers drawn from it. Returns the number of steps done."""
    if steps <= 0:
        return 0
    steps = capped(steps)  # --max-steps
    ref = copy.deepcopy(policy).eval()
    for p in ref.parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW([p for p in policy.parameters() if p.requires_grad], lr=cfg.lr, weight_decay=0.0)
    rng = random.Random(seed)
    order: list[int] = []
    policy.train()
    for step in range(steps):
        if check_every and step and step % check_every == 0 and stop is not None and stop(step):
            return step
        if len(order) < cfg.batch:
            fresh = list(range(len(pairs)))
            rng.shuffle(fresh)
            order += fresh
        idx, order = order[: cfg.batch], order[cfg.batch :]
        chunk = [pairs[i] for i in idx]
        n = len(chunk)
        ids, mask = pack(
            [p.prompt for p in chunk] * 2, [p.chosen for p in chunk] + [p.rejected for p in chunk]
        )
        logp = sequence_logp(policy, ids, mask)
        with torch.no_grad():
            ref_logp = sequence_logp(ref, ids, mask)
        loss = loss_fn(logp[:n], logp[n:], ref_logp[:n], ref_logp[n:])
        if cfg.retain > 0 and retain_set:
            keep = [retain_set[rng.randrange(len(retain_set))] for _ in range(cfg.batch)]
            k_ids, k_mask = pack([p.prompt for p in keep], [p.chosen for p in keep])
            loss = loss + cfg.retain * retain_loss(sequence_logp(policy, k_ids, k_mask), k_mask)
        elif cfg.retain > 0:
            loss = loss + cfg.retain * retain_loss(logp[:n], mask[:n])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(policy.parameters(), cfg.max_grad_norm)
        opt.step()
    return steps


def retain_loss(chosen_logp: Tensor, chosen_mask: Tensor) -> Tensor:
    # retain/SFT term: −(1/|y_w|) log π(y_w | x), mean over pairs (keeps the clean answer likely)
    return -(chosen_logp / chosen_mask.sum(1).clamp_min(1)).mean()


def dpo(beta0: float) -> LossFn:
    def loss(pi_w: Tensor, pi_l: Tensor, ref_w: Tensor, ref_l: Tensor) -> Tensor:
        return dpo_loss(pi_w, pi_l, ref_w, ref_l, beta0)

    return loss


def margin_aware(schedule: AdaptiveBeta) -> LossFn:
    def loss(pi_w: Tensor, pi_l: Tensor, ref_w: Tensor, ref_l: Tensor) -> Tensor:
        return margin_aware_dpo_loss(pi_w, pi_l, ref_w, ref_l, schedule)[0]

    return loss
