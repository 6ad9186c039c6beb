"""Choose LocalAlign's own knobs on validation, at SecAlign's budget (issue 22).

The first 5-seed mini card with the clean-prompt retain term showed SecAlign meeting its gate while
LocalAlign left far-target ASR at 76 %: with 25 % of the budget as a far warm-up and only hard (near)
negatives afterwards, nothing keeps far injections down. The paper compares the two at equal far ASR, so
LocalAlign's warm-up share (``warmup_frac``) and hard:easy negative ratio (``chosen_ratio``, the code's
knob; easy negatives are far tasks) are chosen here, on development seeds no card uses, with the same
validation split and the same budget SecAlign's rule gives on each seed.

Rule, fixed before the run: among the candidates whose mean validation far ASR is ≤ 10 % and mean
utility ≥ base − 5 (SecAlign's gate), the lowest mean validation near ASR on the training near ops (the
held-out ops stay for the test); if none passes, the lowest mean far ASR.

    cd packages/localalign/scripts && uv run --frozen python localalign_select.py > localalign_select.log
"""

from __future__ import annotations

from dataclasses import replace

import torch

from advfrontier.localalign import mini as M
from advfrontier.localalign.config import MINI
from advfrontier.localalign.data import digit_splits
from advfrontier.localalign.evaluate import handwritten_asr, utility

DEV_SEEDS = (100, 101, 102)
CANDIDATES = [(w, r) for w in (0.25, 0.5, 0.75) for r in (1.0, 0.5)]


def main() -> None:
    torch.set_num_threads(1)
    splits = digit_splits()
    v_clean, v_far, v_near = M.validation_cases(MINI, splits["val"])
    scores: dict[tuple[float, float], list[tuple[float, float, float]]] = {c: [] for c in CANDIDATES}
    for seed in DEV_SEEDS:
        torch.manual_seed(seed)
        base = M.vulnerable_base(MINI, splits["train"], seed)
        base_u = utility(base, v_clean)
        _, steps = M.secalign(
            base, MINI, splits["train"], seed, lambda m, u=base_u: M.budget_rule(m, v_clean, v_far, u, MINI)
        )
        print(f"seed {seed}: base utility {base_u:.1f} %, SecAlign budget {steps} steps", flush=True)
        for w, r in CANDIDATES:
            cfg = replace(MINI, warmup_frac=w, chosen_ratio=r)
            model = M.localalign(base, cfg, splits["train"], seed, steps)
            far = handwritten_asr(model, v_far, seed=M.VAL_SEED)["worst"]
            near = handwritten_asr(model, v_near, seed=M.VAL_SEED)["worst"]
            u = utility(model, v_clean)
            scores[(w, r)].append((far, near, u - base_u))
            print(
                f"  warmup {w}, hard share {r}: far {far:.0f}, near(IID) {near:.0f},"
                f" utility Δ {u - base_u:+.0f}"
            )
    print("\nmeans over seeds (far, near IID, utility − base):")
    mean = {c: [sum(x[i] for x in v) / len(v) for i in range(3)] for c, v in scores.items()}
    for c, (f, n, du) in mean.items():
        print(f"  warmup {c[0]}, hard share {c[1]}: far {f:.1f}, near {n:.1f}, utility Δ {du:+.1f}")
    ok = [c for c, (f, _, du) in mean.items() if f <= MINI.far_target and du >= -MINI.utility_slack]
    best = min(ok, key=lambda c: mean[c][1]) if ok else min(mean, key=lambda c: mean[c][0])
    print(
        f"chosen: warmup_frac {best[0]}, chosen_ratio {best[1]}"
        f" ({'gate met' if ok else 'no candidate met the gate'})"
    )


if __name__ == "__main__":
    main()
