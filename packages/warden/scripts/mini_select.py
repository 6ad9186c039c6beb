"""Choose a miniature in which CAT is not saturated at the training ε (issue 21), on validation.

CAT (w_util = 1, MINI otherwise) is trained from the same aligned checkpoint at each point of ``GRID``,
on development seeds no card uses, and scored on a validation split (embedding attack at 1× the
training ε, ``val_attack_steps`` steps, ``val_per_group`` behaviours per subgroup). Every method of the
card then trains with the chosen setting, so the choice is the same for all of them.

Earlier passes (seed 100, same protocol), each leaving CAT's validation worst-subgroup ASR at 0 %:
  * training length 10, 20, 30, 40 steps at ε_rel 0.5 (aligned model: 27.5 %);
  * training ε_rel 1.0, 1.5, 2.0, 3.0 at 40 steps (aligned: 82.5-90 %; CAT over-refusal 1-4 %).
  * adversarial-training learning rate at_lr 1e-4, 2e-4, 5e-4, 1e-3 at ε_rel 0.5, 40 steps, seeds 100
    and 101: 0 % at every rate on seed 100 (aligned 27.5 %); on seed 101 (aligned 70 %) 17.5 % at 1e-4,
    2.5 % at 2e-4, 0 % above (mean 8.7 % at best: below the floor).
At ε_rel 0.5 the aligned model itself is weakly attackable on some seeds, and CAT closes the rest within
40 steps at any radius. This pass crosses the two knobs that each moved it a little: the radius
(``EPS``) and the learning rate (``LRS``), on three development seeds.

Rule, fixed before the run: the first point in the order smallest ε_rel, then largest at_lr (closest to
MINI, the least weakened CAT) whose mean validation worst-subgroup ASR at 1× ε is ≥ ``FLOOR`` %; if none
is, the point with the highest mean.

    uv run --frozen python packages/warden/scripts/mini_select.py > packages/warden/scripts/mini_select.log
"""

from __future__ import annotations

import copy
import time
from dataclasses import replace

import torch

from advfrontier.warden.config import MINI
from advfrontier.warden.evaluate import evaluate, make_test_sets
from advfrontier.warden.model import build_llama
from advfrontier.warden.task import VOCAB
from advfrontier.warden.train import adversarial_train, pretrain

EPS = (0.5, 1.0, 2.0)
LRS = (5e-4, 2e-4, 1e-4)
DEV_SEEDS = (100, 101, 102)
FLOOR = 10.0


def main() -> None:
    torch.set_num_threads(1)
    cfg = MINI
    grid = [(e, lr) for e in EPS for lr in LRS]
    table: dict[tuple[float, float], list[tuple[float, float]]] = {p: [] for p in grid}
    t0 = time.perf_counter()
    for seed in DEV_SEEDS:
        torch.manual_seed(seed)
        base = build_llama(len(VOCAB), cfg.hidden, cfg.layers, cfg.heads, cfg.intermediate)
        pretrain(base, cfg, torch.Generator().manual_seed(seed))
        sets = replace(cfg, eval_per_group=cfg.val_per_group, eval_benign=cfg.val_benign)
        val = make_test_sets(sets, torch.Generator().manual_seed(40_000 + seed))
        for eps, lr in grid:
            c = replace(cfg, eps_rel=eps, at_lr=lr)
            vcfg = replace(c, gcg_per_group=0, eval_eps_mults=(1.0,), eval_attack_steps=cfg.val_attack_steps)
            if lr == LRS[0]:
                aligned = evaluate(base, vcfg, val, torch.Generator().manual_seed(50_000 + seed))
                print(f"seed {seed} eps {eps}: aligned worst-group ASR {aligned['worst_group_asr_emb']:.1f}")
            m = copy.deepcopy(base)
            adversarial_train(m, c, "mean", 0.0, torch.Generator().manual_seed(20_000 + seed))
            res = evaluate(m, vcfg, val, torch.Generator().manual_seed(50_000 + seed))
            table[(eps, lr)].append((res["worst_group_asr_emb"], res["over_refusal"]))
            print(
                f"seed {seed} eps {eps} at_lr {lr:.0e}: "
                f"CAT worst-group ASR {res['worst_group_asr_emb']:.1f}, "
                f"over-ref. {res['over_refusal']:.1f}, utility {res['utility_acc']:.1f}"
                f"  ({time.perf_counter() - t0:.0f}s)",
                flush=True,
            )
    print("\neps_rel  at_lr   CAT mean worst-group ASR (1x eps)  CAT mean over-refusal")
    means = {p: sum(x for x, _ in v) / len(v) for p, v in table.items()}
    for (eps, lr), v in table.items():
        print(f"{eps:7.1f}  {lr:6.0e}  {means[(eps, lr)]:32.1f}  {sum(y for _, y in v) / len(v):21.1f}")
    ok = [p for p in grid if means[p] >= FLOOR]
    eps, lr = ok[0] if ok else max(grid, key=means.__getitem__)
    print(
        f"\nchosen: eps_rel {eps}, at_lr {lr:.0e} "
        f"(rule: smallest eps, then largest at_lr, with mean >= {FLOOR} %)"
    )


if __name__ == "__main__":
    main()
