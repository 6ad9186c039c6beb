"""The real config at d = 1 with other network or discretisation settings: one seed, the adversarial solver.

A diagnostic (it reads the reference through RE₁, so it does not choose a setting): the real card's d = 1
diverged (RE₁ 11.4) with 6 layers; which change of the real config removes that?
Usage: python packages/mfg/scripts/real_depth.py layers4 [steps20 width64 ...]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

import torch

from advfrontier.mfg.config import REAL
from advfrontier.mfg.paper import _one

VARIANTS = {
    "real": {},
    "layers4": {"layers": 4},
    "width64": {"width": 64},
    "steps20": {"steps": 20},
    "particles2048": {"particles": 2048, "batch_div": 10},
    "r128": {"r": 128},
}

if __name__ == "__main__":
    torch.set_num_threads(1)
    for name in sys.argv[1:]:
        torch.manual_seed(0)
        cfg = replace(REAL, **VARIANTS[name])
        c = time.process_time()
        out = _one(cfg, 1, "adv")
        print(
            f"{name}: RE1 {out['re1']:.3f} (half budget {out['re1_half']:.3f}), "
            f"control error {out['ctrl_re']:.3f}, {time.process_time() - c:.0f} CPU-s",
            flush=True,
        )
