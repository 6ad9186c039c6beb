"""PGD-10 adversarial-training throughput: the project's trainer against a plain torchattacks loop.

PreActResNet-18 on CIFAR-shaped random batches, L∞ 8/255, step 2/255, 10 steps, SGD. Two contenders:
- ``ours``: ``advfrontier.shared.train.fit`` with ``MadryPGD`` (Lightning Fabric, precision from the flag);
- ``torchattacks``: a hand loop of ``torchattacks.PGD`` + cross-entropy step (autocast for bf16).
Each is timed over ``--steps`` optimiser steps after one warm-up epoch of the same length, for every
precision in ``--precisions``; then ``--jobs`` processes run ``ours`` at once and their images/s add up
(the concurrency of issue 19: several seeds on one device). Writes ``benchmarks/results-<device>.json``.

    uv run python benchmarks/bench_at.py --device cpu --batch 32 --steps 2      # make bench
    uv run python benchmarks/bench_at.py --device cuda --batch 128 --steps 20   # make bench DEVICE=cuda
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

HERE = Path(__file__).resolve().parent


def _model_and_data(batch: int, steps: int, device: str, channels_last: bool):
    from advfrontier.shared.data.splits import Split
    from advfrontier.shared.models.preact_resnet import PreActResNet18

    g = torch.Generator().manual_seed(0)
    n = batch * steps
    x, y = torch.rand(n, 3, 32, 32, generator=g), torch.randint(0, 10, (n,), generator=g)
    model = PreActResNet18()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    return model, Split(x.to(device), y.to(device))


def time_ours(device: str, precision: str, batch: int, steps: int, channels_last: bool) -> float:
    """Seconds per optimiser step of ``fit`` + ``MadryPGD`` (second of two equal epochs)."""
    from advfrontier.shared import engine
    from advfrontier.shared.threat import linf
    from advfrontier.shared.train.objectives import MadryPGD
    from advfrontier.shared.train.trainer import TrainConfig, fit

    engine.configure(device, precision)
    model, data = _model_and_data(batch, steps, device, channels_last)
    stamps: list[float] = []

    def stamp(epoch: int, loss: float) -> None:
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        stamps.append(time.perf_counter())

    cfg = TrainConfig(epochs=2, batch_size=batch, lr=0.01, weight_decay=0.0)
    fit(model, data, MadryPGD(linf("8/255"), steps=10), cfg, seed=0, desc="bench", on_epoch_end=stamp)
    return (stamps[1] - stamps[0]) / steps


def time_torchattacks(device: str, precision: str, batch: int, steps: int, channels_last: bool) -> float:
    """Seconds per optimiser step of a plain loop with torchattacks' PGD (second of two epochs)."""
    import torchattacks

    model, data = _model_and_data(batch, steps, device, channels_last)
    model = model.to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    attack = torchattacks.PGD(model, eps=8 / 255, alpha=2 / 255, steps=10, random_start=True)
    dtype = torch.bfloat16 if precision.startswith("bf16") else None
    kind = "cuda" if device.startswith("cuda") else "cpu"
    stamps = []
    for _epoch in range(2):
        for i in range(0, len(data), batch):
            x, y = data.x[i : i + batch], data.y[i : i + batch]
            with torch.autocast(kind, dtype=dtype or torch.float32, enabled=dtype is not None):
                model.eval()
                x_adv = attack(x, y)
                model.train()
                loss = F.cross_entropy(model(x_adv), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        if kind == "cuda":
            torch.cuda.synchronize()
        stamps.append(time.perf_counter())
    return (stamps[1] - stamps[0]) / steps


def _single(args: argparse.Namespace) -> None:
    fn = time_ours if args.single == "ours" else time_torchattacks
    torch.set_num_threads(args.threads)
    sec = fn(args.device, args.precision, args.batch, args.steps, args.channels_last)
    print(json.dumps({"s_per_step": sec, "images_per_s": args.batch / sec}))


def _spawn(args: argparse.Namespace, who: str, precision: str, jobs: int, threads: int) -> list[dict]:
    cmd = [
        sys.executable, __file__, "--single", who, "--device", args.device, "--precision", precision,
        "--batch", str(args.batch), "--steps", str(args.steps), "--threads", str(threads),
    ] + (["--channels-last"] if args.channels_last else [])  # fmt: skip
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(jobs)]
    out = []
    for p in procs:
        stdout, _ = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"bench: {who} {precision} failed (exit {p.returncode})")
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cpu")
    p.add_argument("--precisions", default="32-true,bf16-mixed")
    p.add_argument("--precision", default="32-true", help=argparse.SUPPRESS)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=10, help="timed optimiser steps (after as many warm-up)")
    p.add_argument("--jobs", type=int, default=2, help="concurrent processes of 'ours' (1: skip)")
    p.add_argument("--threads", type=int, default=2, help="torch threads of a lone process")
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--single", choices=("ours", "torchattacks"), help=argparse.SUPPRESS)
    p.add_argument("--out", default=None)
    args = p.parse_args()
    if args.single:
        return _single(args)
    from advfrontier.shared import environment

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit("bench: --device cuda but torch sees no CUDA device")
    rows = []
    for precision in args.precisions.split(","):
        for who in ("ours", "torchattacks"):
            r = _spawn(args, who, precision, 1, args.threads)[0]
            rows.append({"who": who, "precision": precision, "jobs": 1, **r})
            print(f"{who:13s} {precision:10s} 1 job : {r['images_per_s']:8.1f} images/s", flush=True)
        if args.jobs > 1:
            threads = max(1, args.threads // args.jobs) if args.device == "cpu" else args.threads
            rs = _spawn(args, "ours", precision, args.jobs, threads)
            total = sum(r["images_per_s"] for r in rs)
            rows.append({"who": "ours", "precision": precision, "jobs": args.jobs, "images_per_s": total,
                         "per_job": rs, "threads_per_job": threads})  # fmt: skip
            print(f"{'ours':13s} {precision:10s} {args.jobs} jobs: {total:8.1f} images/s (sum)", flush=True)

    def single(who: str, pr: str) -> float:
        return next(r["images_per_s"] for r in rows if (r["who"], r["precision"], r["jobs"]) == (who, pr, 1))

    ratio = {pr: single("ours", pr) / single("torchattacks", pr) for pr in args.precisions.split(",")}
    result = {
        "what": "PGD-10 AT (L∞ 8/255, step 2/255), PreActResNet-18, 3×32×32 random batches",
        "batch": args.batch,
        "timed_steps": args.steps,
        "channels_last": args.channels_last,
        "rows": rows,
        "ratio_ours_over_torchattacks": ratio,
        "best_images_per_s": max(r["images_per_s"] for r in rows),
        "environment": environment.capture(threads=args.threads, device=args.device),
    }
    out = Path(args.out) if args.out else HERE / f"results-{args.device.split(':')[0]}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
