"""Run a paper at a scale over seeds, write its result card, its table and its figure."""

from __future__ import annotations

import os
import shutil
import sys
import time
from concurrent.futures import as_completed
from pathlib import Path
from typing import Any

from advfrontier.shared import engine, environment
from advfrontier.shared.config import RunConfig, with_overrides
from advfrontier.shared.determinism import seed_everything
from advfrontier.shared.paper import Metrics, Paper
from advfrontier.shared.progress import Progress
from advfrontier.shared.registry import load_paper
from advfrontier.shared.render import bar_plot, result_markdown
from advfrontier.shared.results import build_result, check_metrics, write_result
from advfrontier.shared.workers import worker_pool


def resolve_device(config: RunConfig, requested: str | None) -> str:
    """``--device`` if given; else the config's, falling back to the CPU (with a warning) when the
    config asks for CUDA and none is visible."""
    if requested:
        return requested
    if config.device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            print(
                f"warning: the {config.scale} config asks for {config.device} but no CUDA device is visible; "
                "running on the CPU (this can take far longer)",
                file=sys.stderr,
            )
            return "cpu"
    return config.device


def peak_rss_mib() -> float:
    """Peak resident memory of this process (MiB)."""
    import resource

    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 2**20


def _run_one(
    slug: str, config: RunConfig, seed: int, precision: str = "32-true", max_steps: int | None = None
) -> tuple[Metrics, float, float]:
    """One seed: its metrics, its wall time (s) and the peak resident memory of its process (MiB)."""
    engine.ensure(config.device, precision)
    engine.set_max_steps(max_steps)
    paper = load_paper(slug)
    seed_everything(seed, threads=config.threads)
    t0 = time.perf_counter()
    metrics = check_metrics(paper.run(config, seed), f"{slug} seed {seed}")
    wall = time.perf_counter() - t0
    print(f"[{slug}/{config.scale}] seed {seed} done in {wall:.1f}s", file=sys.stderr, flush=True)
    return metrics, wall, peak_rss_mib()


def make_config(paper: Paper, scale: str, out: Path, **overrides: Any) -> RunConfig:
    base = paper.config(scale)
    overrides["device"] = resolve_device(base, overrides.get("device"))
    config = with_overrides(base, **overrides)
    if config.work_dir is None:
        config = with_overrides(config, work_dir=str(out / f"{scale}-work"))
    return config


def reproduce(
    slug: str,
    scale: str,
    out: str | Path,
    jobs: int = 1,
    plot: bool = True,
    fresh: bool = False,
    precision: str = "32-true",
    max_steps: int | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """Run every seed (in ``jobs`` processes) and write ``<out>/<scale>.{json,md,png}``.

    Checkpoints go to ``<out>/<scale>-work``: a run killed mid-way resumes from there when started
    again; a run that completes removes them (``fresh`` removes them before starting).
    """
    paper = load_paper(slug)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = make_config(paper, scale, out, **overrides)
    engine.configure(config.device, precision)
    engine.set_max_steps(max_steps)
    _, world_size = engine.world()
    if world_size > 1:
        jobs = 1  # every rank runs the seeds in turn; rank 0 writes the result
    if fresh and config.work_dir is not None:
        shutil.rmtree(config.work_dir, ignore_errors=True)
    seeds = list(range(config.seeds))
    jobs = max(1, min(jobs, len(seeds)))
    # provenance is taken before the work: the code that runs is the code at the start
    env = environment.capture(threads=config.threads, device=config.device)
    t_start = time.perf_counter()
    progress = Progress(len(seeds), f"{slug}/{scale}", "seed", enabled=engine.is_main())
    progress.say(
        f"{len(seeds)} seed(s), {jobs} at a time, {config.threads} thread(s) each, on {config.device}"
    )
    if jobs == 1:
        outs = []
        for s in seeds:
            outs.append(_run_one(slug, config, s, precision, max_steps))
            progress.step()
    else:
        with worker_pool(jobs) as pool:  # workers end with this run, also when it is killed
            futures = {pool.submit(_run_one, slug, config, s, precision, max_steps): s for s in seeds}
            done: dict[int, tuple[Metrics, float, float]] = {}
            for fut in as_completed(futures):
                done[futures[fut]] = fut.result()
                progress.step()
            outs = [done[s] for s in seeds]
    per_seed = [m for m, _, _ in outs]
    env["parallel_seed_jobs"] = jobs
    env["world_size"] = world_size
    env["precision"] = precision
    if max_steps is not None:
        env["truncated"] = f"--max-steps {max_steps}: training truncated, numbers are a pipeline check only"
    env["cost"] = {
        "wall_s_total": round(time.perf_counter() - t_start, 1),
        "wall_s_per_seed": [round(w, 1) for _, w, _ in outs],
        "peak_rss_mib": round(max([r for _, _, r in outs] + [peak_rss_mib()]), 1),
        "device": config.device,
        "threads": config.threads,
        "parallel_seed_jobs": jobs,
    }
    result = build_result(paper, config, seeds, per_seed, env)
    if result["config"].get("work_dir"):  # no absolute path of this machine in a card
        result["config"]["work_dir"] = environment.portable_path(result["config"]["work_dir"])
    if max_steps is not None:
        result["truncated"] = True
    if not engine.is_main():
        return result
    write_result(result, out / f"{scale}.json")
    image = None
    if plot:
        draw = paper.plot or bar_plot
        draw(result, str(out / f"{scale}.png"))
        image = f"{scale}.png"
    (out / f"{scale}.md").write_text(result_markdown(result, image=image))
    if config.work_dir is not None:
        shutil.rmtree(config.work_dir, ignore_errors=True)
    return result


def default_jobs() -> int:
    """Parallel seed processes: the cores this process may use, at most 2 (results do not depend on it)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - non-Linux
        n = os.cpu_count() or 1
    return max(1, min(2, n))
