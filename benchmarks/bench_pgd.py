"""Time one PGD-10 adversarial training step and one PGD-20 evaluation batch, ours vs torchattacks.

Same model (SmallCNN on 3×32×32 inputs), same batch of 128, same budget (L∞ 8/255, step 2/255), same
process, interleaved repeats; reports medians, the ratio ours/torchattacks and the training step's
achieved GFLOP/s (FLOPs counted by torch.utils.flop_counter). Writes benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from advfrontier.shared import environment
from advfrontier.shared.attacks import pgd
from advfrontier.shared.determinism import seed_everything
from advfrontier.shared.models import SmallCNN
from advfrontier.shared.threat import linf

THREAT = linf("8/255")
ALPHA = 2 / 255


def at_step_ours(
    model: torch.nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor
) -> None:
    x_adv = pgd(model, x, y, THREAT, steps=10, step_size="2/255", keep_best=False)
    loss = F.cross_entropy(model(x_adv), y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()


def at_step_torchattacks(attack, model, opt, x, y) -> None:
    model.train()
    x_adv = attack(x, y)
    model.train()
    loss = F.cross_entropy(model(x_adv), y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()


def median_time(fns: dict[str, Callable[[], None]], repeats: int) -> dict[str, float]:
    """Interleave the contenders so that machine noise hits both alike."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn()  # warm-up
    for _ in range(repeats):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    args = p.parse_args()
    import torchattacks

    seed_everything(0, threads=args.threads)
    model = SmallCNN(in_channels=3, image_size=32, num_classes=10)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = torch.rand(128, 3, 32, 32), torch.randint(0, 10, (128,))
    ta_train = torchattacks.PGD(model, eps=THREAT.eps, alpha=ALPHA, steps=10, random_start=True)
    ta_train.set_model_training_mode(model_training=False)
    ta_eval = torchattacks.PGD(model, eps=THREAT.eps, alpha=ALPHA, steps=20, random_start=True)

    step = median_time(
        {
            "ours": lambda: at_step_ours(model, opt, x, y),
            "torchattacks": lambda: at_step_torchattacks(ta_train, model, opt, x, y),
        },
        args.repeats,
    )
    model.eval()
    evaluation = median_time(
        {
            "ours": lambda: pgd(model, x, y, THREAT, steps=20, step_size="2/255"),
            "torchattacks": lambda: ta_eval(x, y),
        },
        args.repeats,
    )
    with FlopCounterMode(display=False) as counter:
        at_step_ours(model, opt, x, y)
    flops = counter.get_total_flops()
    result = {
        "what": "PGD-10 AT step and PGD-20 eval batch, SmallCNN 3x32x32, batch 128, Linf 8/255, step 2/255",
        "train_step_s": step,
        "train_step_ratio_ours_over_torchattacks": step["ours"] / step["torchattacks"],
        "eval_batch_s": evaluation,
        "eval_batch_ratio_ours_over_torchattacks": evaluation["ours"] / evaluation["torchattacks"],
        "train_step_gflop": flops / 1e9,
        "train_step_gflops_per_s": flops / 1e9 / step["ours"],
        "repeats": args.repeats,
        "environment": environment.capture(threads=args.threads, device="cpu"),
    }
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "environment"}, indent=1))


if __name__ == "__main__":
    main()
