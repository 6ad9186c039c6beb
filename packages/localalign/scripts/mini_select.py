"""Choose the miniature's preference recipe so that SecAlign works before anything is compared (issue 22).

SecAlign is trained from the seed's base with each candidate recipe, on development seeds no card uses,
and scored every 50 steps on the validation split (the mini's 80 validation cases): far-target ASR (worst
case over the hand-written injections) and clean utility. The recipe is the same for both defences, so
the choice does not favour either.

Candidates: the retain term on the chosen response of the injected pair (the mini until now, lr 1e-3), or
on clean prompts (SFT on reference answers to trusted tasks on uninjected data), at lr 1e-3 and 2e-3.

Rule, fixed before the run: the recipe with the most development seeds whose validation curve meets the
gate (far ASR ≤ 10 %, utility ≥ base − 5) at some check within 600 steps; ties go to the fewest mean steps
to the first such check.

    cd packages/localalign/scripts && uv run --frozen python mini_select.py > mini_select.log
"""

from __future__ import annotations

import time
from dataclasses import replace

import torch

from advfrontier.localalign import mini as M
from advfrontier.localalign.config import MINI
from advfrontier.localalign.data import digit_splits
from advfrontier.localalign.evaluate import handwritten_asr, utility
from advfrontier.localalign.model import TinyLM

DEV_SEEDS = (100, 101, 102)
CANDIDATES = {
    "retain on chosen, lr 1e-3": {"retain_clean": False, "pref_lr": 1e-3},
    "retain on clean, lr 1e-3": {"retain_clean": True, "pref_lr": 1e-3},
    "retain on clean, lr 2e-3": {"retain_clean": True, "pref_lr": 2e-3},
}


def main() -> None:
    torch.set_num_threads(1)
    splits = digit_splits()
    v_clean, v_far, _ = M.validation_cases(MINI, splits["val"])
    first: dict[str, list[int | None]] = {name: [] for name in CANDIDATES}
    for seed in DEV_SEEDS:
        torch.manual_seed(seed)
        base = M.vulnerable_base(MINI, splits["train"], seed)
        base_u = utility(base, v_clean)
        print(f"seed {seed}: base validation utility {base_u:.1f} %", flush=True)
        for name, kw in CANDIDATES.items():
            cfg = replace(MINI, pref_steps=600, budget_every=50, **kw)
            curve: list[tuple[int, float, float]] = []

            def rule(model: TinyLM, curve: list = curve) -> object:
                def stop(step: int) -> bool:
                    far = handwritten_asr(model, v_far, seed=M.VAL_SEED)["worst"]
                    curve.append((step, utility(model, v_clean), far))
                    return False

                return stop

            t0 = time.time()
            M.secalign(base, cfg, splits["train"], seed, rule)
            ok = [s for s, u, f in curve if f <= cfg.far_target and u >= base_u - cfg.utility_slack]
            first[name].append(ok[0] if ok else None)
            pts = " ".join(f"{s}:{u:.0f}/{f:.0f}" for s, u, f in curve)
            print(
                f"  {name}: step:utility/far  {pts}  gate first met at {first[name][-1]}"
                f" ({time.time() - t0:.0f} s)"
            )
    print("\nsummary (seeds meeting the gate, mean first step among them):")
    for name, f in first.items():
        met = [s for s in f if s is not None]
        mean = sum(met) / len(met) if met else float("nan")
        print(f"  {name}: {len(met)}/{len(f)} seeds, mean first step {mean:.0f}")
    best = max(first, key=lambda n: (sum(s is not None for s in first[n]), -sum(s or 0 for s in first[n])))
    print(f"chosen: {best}")


if __name__ == "__main__":
    main()
