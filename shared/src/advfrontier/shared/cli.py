"""The one command line for every paper: ``advfrontier list | reproduce | table | tables | diff | check``."""

from __future__ import annotations

import argparse
import dataclasses
import platform
import sys
from pathlib import Path

from advfrontier.shared import diffing, registry, render
from advfrontier.shared.config import SCALES
from advfrontier.shared.environment import expected_dir as _expected_dir
from advfrontier.shared.environment import repo_root
from advfrontier.shared.results import read_result, verdict_counts
from advfrontier.shared.workers import terminate_on_sigterm, worker_pool

# torch and the paper packages are imported only by the commands that run something (reproduce,
# check, rejudge): --help, usage errors, list, diff and table stay fast.


class UserError(Exception):
    """A mistake the user can fix: one line on stderr, exit 2."""


def _known(slug: str) -> str:
    """The slug if a paper by that name is installed, else a clear error (without importing it)."""
    if slug not in registry.available():
        registry.load_paper(slug)  # raises PaperNotInstalledError with the installed list
    return slug


def _cmd_list(args: argparse.Namespace) -> int:
    slugs = registry.available()
    if args.slugs:
        print("\n".join(slugs))
        return 0
    for slug, summary in registry.summaries().items():
        print(f"{slug:18s} {summary}")
    missing = [s for s in registry.KNOWN_SLUGS if s not in slugs]
    if missing and not args.quiet:
        print(f"(not installed: {', '.join(missing)})")
    return 0


def _cmd_reproduce(args: argparse.Namespace) -> int:
    _known(args.slug)
    out = Path(args.out or f"runs/{args.slug}")
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file; give a folder (it is created if missing)")
    if args.device and args.device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise UserError(f"--device {args.device}: no CUDA device is visible here; use --device cpu")
    if args.update_expected:
        exp = _expected_dir(args.slug)
        if exp is None:
            print("--update-expected needs the repo checkout (no uv.lock found above here)", file=sys.stderr)
            return 2
        from advfrontier.shared.environment import git_commit, is_dirty

        if is_dirty(git_commit(repo_root())) and not args.allow_dirty:
            print(
                "advfrontier: refusing to write committed results from a tree with uncommitted changes "
                "(the card would record a +dirty commit); commit first, or pass --allow-dirty",
                file=sys.stderr,
            )
            return 2
        out = exp
    from advfrontier.shared import runner

    result = runner.reproduce(
        args.slug,
        args.scale,
        out,
        jobs=args.jobs or runner.default_jobs(),
        plot=not args.no_plot,
        fresh=args.fresh,
        seeds=args.seeds,
        threads=args.threads,
        device=args.device,
        data_dir=args.data_dir,
        precision=args.precision,
        max_steps=args.max_steps,
        model=args.model,
    )
    print(render.result_markdown(result))
    written = [".json", ".md"] + ([] if args.no_plot else [".png"])
    print(f"wrote {out / args.scale}{{{','.join(written)}}}")
    return 0


def _expected_path(slug: str, scale: str, hint: str) -> Path:
    d = _expected_dir(slug)
    if d is None:
        raise UserError(f"the committed results live in the repo checkout, and none was found here; {hint}")
    return d / f"{scale}.json"


def _cmd_table(args: argparse.Namespace) -> int:
    if args.result:
        path = Path(args.result)
    else:
        path = _expected_path(_known(args.slug), args.scale, "pass --result FILE")
        if not path.exists():
            raise UserError(f"{args.slug} has no committed {args.scale} result ({path})")
    print(render.result_markdown(read_result(path)))
    return 0


def _diff_cards(committed: dict, actual: dict) -> tuple[bool, str]:
    """(passes, report) of a metric-by-metric diff. Drift between cards made on different CPU signatures
    passes with a note: training runs are bit-reproducible on one CPU signature, not across them."""
    rows, problems, notes = diffing.compare(committed, actual)
    report = diffing.report(rows, problems, notes)
    if all(r.ok for r in rows) and not problems:
        return True, report
    made_on, here = (card.get("environment", {}).get("cpu") for card in (committed, actual))
    if not made_on or made_on == here:
        return False, report
    return True, (
        f"{report}\nnot fatal: the committed card was made on a {made_on} CPU, this one is {here}; "
        "training runs are bit-reproducible on one CPU signature, not across them (re-run the card "
        "here with --update-expected to compare on this CPU)"
    )


def _cmd_diff(args: argparse.Namespace) -> int:
    ok, report = _diff_cards(read_result(args.expected), read_result(args.actual))
    print(report)
    return 0 if ok else 1


def _cmd_rejudge(args: argparse.Namespace) -> int:
    """Recompute claims and facts of result cards from their per-seed metrics with the installed claims."""
    from advfrontier.shared.results import SCHEMA, judge, write_result

    for path in args.results:
        result = read_result(path)
        paper = registry.load_paper(result["paper"])
        per_seed = [s["metrics"] for s in result["per_seed"]]
        result["claims"], result["facts"] = judge(paper, per_seed)
        old = result.get("schema")
        result["schema"] = SCHEMA
        result["reported"] = [dataclasses.asdict(r) for r in paper.reported]
        result["notes"] = paper.notes
        result["rejudged"] = {
            "from_schema": old,
            "note": "claims recomputed from the card's per-seed metrics",
        }
        write_result(result, path)
        md = Path(path).with_suffix(".md")  # the card's page, kept in step with its verdicts
        if md.exists():
            png = md.with_suffix(".png")
            md.write_text(render.result_markdown(result, image=png.name if png.exists() else None))
        print(f"{path}: {render.verdict_summary(result)}")
    return 0


def _check_one(slug: str, scale: str, out: str) -> tuple[str, bool, str]:
    """Re-run one paper at ``scale`` into a fresh folder and diff it with its committed result."""
    from advfrontier.shared import runner

    expected = _expected_path(slug, scale, "run `check` inside the clone")
    if not expected.exists():
        return slug, False, f"no committed {scale} result at {expected}"
    committed = read_result(expected)
    made_with = committed.get("environment", {}).get("python")
    why = registry.load_paper(slug).python_data
    if why and made_with and made_with != platform.python_version():
        return (
            slug,
            True,
            (
                f"not re-run: the committed card was made with Python {made_with}, this is "
                f"{platform.python_version()}, and {why}"
            ),
        )
    actual = runner.reproduce(slug, scale, Path(out) / slug, jobs=1, plot=False, fresh=True)
    return (slug, *_diff_cards(committed, actual))


def _cmd_check(args: argparse.Namespace) -> int:
    """Re-run each paper with committed results at ``scale`` and diff against them."""
    from advfrontier.shared import runner

    slugs = [_known(s) for s in args.slugs] or registry.available()
    _expected_path(slugs[0], args.scale, "run `check` inside the clone")
    jobs = max(1, min(args.jobs or runner.default_jobs(), len(slugs)))
    if jobs == 1:
        outcomes = [_check_one(s, args.scale, args.out) for s in slugs]
    else:
        with worker_pool(jobs) as pool:
            n = len(slugs)
            outcomes = list(pool.map(_check_one, slugs, [args.scale] * n, [args.out] * n))
    failed = []
    for slug, ok, text in outcomes:
        print(f"== {slug} ({args.scale}): {'ok' if ok else 'DRIFT'}")
        print(text)
        if not ok:
            failed.append(slug)
    print(f"{len(outcomes)} paper(s) re-run and diffed; drift in: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


def _cmd_tables(args: argparse.Namespace) -> int:
    """Regenerate results/README.md and each package README's results section from committed JSON."""
    root = repo_root()
    if root is None:
        print("tables needs the repo checkout", file=sys.stderr)
        return 2
    blocks = ["# Results\n", "Generated by `make tables` from the committed result JSON; do not edit.\n"]
    for slug in ["baselines", *registry.KNOWN_SLUGS]:
        d = _expected_dir(slug)
        if d is None or not d.exists():
            continue
        pkg_blocks = []
        for scale in ("mini", "real", "paper", "smoke"):  # mini first: smoke numbers mean nothing
            path = d / f"{scale}.json"
            if not path.exists():
                continue
            result = read_result(path)
            img = d / f"{scale}.png"
            rel_root = img.relative_to(root).as_posix() if img.exists() else None
            blocks.append(render.result_markdown(result, 2, image=f"../{rel_root}" if rel_root else None))
            pkg_blocks.append(
                render.result_markdown(result, 3, image=f"results/{scale}.png" if rel_root else None)
            )
        readme = d.parent / "README.md"
        if pkg_blocks and readme.exists():
            readme.write_text(render.splice(readme.read_text(), "\n".join(pkg_blocks)))
    (root / "results").mkdir(exist_ok=True)
    (root / "results" / "README.md").write_text("\n".join(blocks))
    readme = root / "README.md"
    if readme.exists():
        text = render.splice(readme.read_text(), _papers_block(), render.PAPERS_BEGIN, render.PAPERS_END)
        readme.write_text(text)
    print(f"wrote {root / 'results' / 'README.md'}")
    return 0


def _papers_block() -> str:
    """The README's list of papers: make target, committed scales, verdicts at mini and real scale,
    and minutes per mini run."""
    lines = [
        "| slug | paper | run | committed results | mini: held / inconclusive / contradicted "
        "| real: held / inc. / contr. | min per mini run |",
        "|---|---|---|---|---|---|---|",
    ]
    for slug in ["baselines", *registry.KNOWN_SLUGS]:
        d = _expected_dir(slug)
        scales = [s for s in SCALES if d is not None and (d / f"{s}.json").exists()]
        if not scales:
            lines.append(
                f"| {slug} | — | `make reproduce-{slug}` | none: package not written yet | — | — | — |"
            )
            continue
        result = read_result(d / f"{scales[-1]}.json")
        counts = {}
        minutes = "—"
        for scale in ("mini", "real"):
            counts[scale] = "—"
            if d is not None and (d / f"{scale}.json").exists():
                card = read_result(d / f"{scale}.json")
                c = verdict_counts(card["claims"])
                counts[scale] = f"{c['held']} / {c['inconclusive']} / {c['contradicted']}"
                cost = card["environment"].get("cost")
                if scale == "mini" and cost:
                    minutes = f"{cost['wall_s_total'] / 60:.1f}"
        where = "shared" if slug == "baselines" else f"packages/{slug}"
        lines.append(
            f"| [{slug}]({where}/README.md) | {result['title']} | `make reproduce-{slug}` "
            f"| {', '.join(scales)} | {counts['mini']} | {counts['real']} | {minutes} |"
        )
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="advfrontier", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("list", help="list the installed papers")
    s.add_argument("--slugs", action="store_true", help="slugs only, one a line")
    s.add_argument("--quiet", action="store_true")
    s.set_defaults(func=_cmd_list)

    s = sub.add_parser("reproduce", help="run a paper at a scale and write its result card")
    s.add_argument("slug")
    s.add_argument("--scale", choices=SCALES, default="mini")
    s.add_argument("--seeds", type=int, help="number of seeds (0..N-1); default: the scale's")
    s.add_argument("--out", help="output folder (default runs/<slug>)")
    s.add_argument("--jobs", type=int, help="seeds run in parallel processes (default: min(2, cores))")
    s.add_argument("--threads", type=int, help="torch threads per run (default: the scale's)")
    s.add_argument("--device", help="torch device, e.g. cuda")
    s.add_argument("--data-dir", help="real data directory (default $ADVFRONTIER_DATA)")
    s.add_argument(
        "--model", help="architecture, for papers whose config has one (raat: resnet18, wrn34_10, ...)"
    )
    s.add_argument(
        "--precision",
        default="32-true",
        choices=("32-true", "bf16-mixed", "16-mixed"),
        help="Fabric precision",
    )
    s.add_argument(
        "--max-steps", type=int, help="truncate training to K steps per run (a quick end-to-end check)"
    )
    s.add_argument("--no-plot", action="store_true")
    s.add_argument("--fresh", action="store_true", help="drop checkpoints of an interrupted run first")
    s.add_argument(
        "--update-expected", action="store_true", help="write into the package's committed results/ folder"
    )
    s.add_argument("--allow-dirty", action="store_true", help="with --update-expected: allow a dirty tree")
    s.set_defaults(func=_cmd_reproduce)

    s = sub.add_parser("table", help="print the markdown table of a result")
    s.add_argument("slug")
    s.add_argument("--scale", choices=SCALES, default="mini")
    s.add_argument("--result", help="a result JSON (default: the committed one)")
    s.set_defaults(func=_cmd_table)

    s = sub.add_parser("tables", help="regenerate results/README.md and package README tables")
    s.set_defaults(func=_cmd_tables)

    s = sub.add_parser("diff", help="compare two result JSONs; exit 1 on drift")
    s.add_argument("expected")
    s.add_argument("actual")
    s.set_defaults(func=_cmd_diff)

    s = sub.add_parser("rejudge", help="recompute a card's verdicts from its per-seed metrics")
    s.add_argument("results", nargs="+", help="result JSON files, rewritten in place")
    s.set_defaults(func=_cmd_rejudge)

    s = sub.add_parser("check", help="re-run papers and diff them with their committed results")
    s.add_argument("slugs", nargs="*")
    s.add_argument("--scale", choices=SCALES, default="smoke")
    s.add_argument("--out", default="runs/check")
    s.add_argument("--jobs", type=int, help="papers re-run in parallel processes (default: min(2, cores))")
    s.set_defaults(func=_cmd_check)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    terminate_on_sigterm()  # `kill` ends a run as Ctrl-C does: workers stopped, resume message
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("\nadvfrontier: interrupted; rerun the same command to resume", file=sys.stderr)
        return 130
    except (
        UserError,
        registry.PaperNotInstalledError,
        FileNotFoundError,
        IsADirectoryError,
        ValueError,
        diffing.PapersDifferError,
    ) as err:
        print(f"advfrontier: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
