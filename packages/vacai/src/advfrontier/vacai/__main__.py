"""``python -m advfrontier.vacai train|parse``: train a parser on CoNLL-U files, parse new files.

    python -m advfrontier.vacai train --train a.conllu [b.conllu ...] [--dev d.conllu] --out model.pt
    python -m advfrontier.vacai parse model.pt in.conllu > out.conllu
    python -m advfrontier.vacai reproduce --scale real --config my.json --out runs/mine

``reproduce`` is ``advfrontier reproduce vacai`` with any config field overridden from a JSON object
(e.g. ``{"sources": ["UD_German-HDT"], "targets": ["UD_Low_Saxon-LSDC"], "data": "ud", "epochs": 20}``).

Each training file is one variety (VAÇAÍ-Bowl's variety labels); ``--variant vacai`` needs two or more.
The output of ``parse`` carries predicted HEAD and DEPREL, blanks LEMMA/UPOS/XPOS/FEATS and keeps
comments, multiword tokens, empty nodes, DEPS and MISC as they were.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import zlib
from pathlib import Path

import torch

from advfrontier.vacai.conllu_io import ConlluError, read_conllu
from advfrontier.vacai.model_io import ModelFileError, load_model, parse_file, save_model
from advfrontier.vacai.train import TrainSettings, attachment, fit, label_vocab, predict
from advfrontier.vacai.vacai_bowl import VarietyParser


def _train(args: argparse.Namespace) -> int:
    from advfrontier.vacai.encoder import ScratchEncoder

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    train, names = [], []
    for path in args.train:
        name = Path(path).name
        names.append(name)
        train += read_conllu(path, name)
    dev = [s for path in args.dev for s in read_conllu(path, names[0])] if args.dev else []
    if not dev:  # hold out 10 % of the training sentences
        rng = random.Random(zlib.crc32(f"dev|{args.seed}".encode()))
        idx = set(rng.sample(range(len(train)), max(1, len(train) // 10)))
        dev = [s for i, s in enumerate(train) if i in idx]
        train = [s for i, s in enumerate(train) if i not in idx]
    rel_names = label_vocab(train)
    enc = ScratchEncoder(
        train,
        emb_dim=args.emb_dim,
        hidden=args.hidden,
        layers=args.layers,
        buckets=args.buckets,
        char_dim=args.char_dim,
    )
    model = VarietyParser(
        enc,
        args.variant,
        len(rel_names),
        len(names),
        args.branch_dim,
        args.arc_dim,
        args.rel_dim,
        args.dropout,
    )
    st = TrainSettings(
        args.epochs, args.batch_size, args.lr, args.lr, 0.5, 0.5, 0.1, True, patience=args.patience
    )
    history = fit(
        model, train, names, rel_names, st, args.seed, "cpu", dev=dev, label="train " + "+".join(names)
    )
    best = max(h.get("dev_las", 0.0) for h in history)
    save_model(args.out, model, rel_names, names, epochs_run=len(history), dev_las=best)
    print(
        f"trained {len(history)} epochs on {len(train)} sentences; best dev LAS {best:.2f}; wrote {args.out}"
    )
    return 0


def _parse(args: argparse.Namespace) -> int:
    model, rel_names = load_model(args.model)
    if args.output:
        parse_file(model, rel_names, args.input, args.output)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = parse_file(model, rel_names, args.input, Path(tmp) / "out.conllu")
        sys.stdout.write(out.read_text(encoding="utf-8"))
    return 0


def _score(args: argparse.Namespace) -> int:
    model, rel_names = load_model(args.model)
    gold = read_conllu(args.input)
    print(f"LAS (full labels, all words) {attachment(gold, *predict(model, gold, rel_names)):.2f}")
    return 0


def _reproduce(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from advfrontier.shared import render, runner
    from advfrontier.vacai.config import VacaiConfig

    overrides = json.loads(Path(args.config).read_text()) if args.config else {}
    if not isinstance(overrides, dict):
        raise ValueError(f"{args.config}: expected a JSON object of config fields")
    known = {f.name for f in dataclasses.fields(VacaiConfig)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"{args.config}: unknown config field(s) {unknown}; see advfrontier.vacai.config")
    overrides = {k: tuple(v) if isinstance(v, list) else v for k, v in overrides.items()}
    result = runner.reproduce("vacai", args.scale, args.out, jobs=args.jobs, **overrides)
    print(render.result_markdown(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m advfrontier.vacai", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("train", help="train a parser on CoNLL-U files (one variety per file)")
    s.add_argument("--train", nargs="+", required=True)
    s.add_argument(
        "--dev", nargs="*", default=[], help="dev file(s) for model selection (default: 10%% of train)"
    )
    s.add_argument("--out", required=True, help="model file to write (.pt)")
    s.add_argument("--variant", choices=("plain", "invariant", "vacai"), default="plain")
    s.add_argument("--epochs", type=int, default=30)
    s.add_argument("--patience", type=int, default=5)
    s.add_argument("--batch-size", type=int, default=32)
    s.add_argument("--lr", type=float, default=2e-3)
    s.add_argument("--emb-dim", type=int, default=100)
    s.add_argument("--char-dim", type=int, default=50)
    s.add_argument("--hidden", type=int, default=200)
    s.add_argument("--layers", type=int, default=2)
    s.add_argument("--buckets", type=int, default=16384)
    s.add_argument("--branch-dim", type=int, default=200)
    s.add_argument("--arc-dim", type=int, default=400)
    s.add_argument("--rel-dim", type=int, default=100)
    s.add_argument("--dropout", type=float, default=0.33)
    s.add_argument("--seed", type=int, default=0)
    s.set_defaults(func=_train)
    s = sub.add_parser("parse", help="parse a CoNLL-U file; predictions to stdout (or -o)")
    s.add_argument("model")
    s.add_argument("input")
    s.add_argument("-o", "--output")
    s.set_defaults(func=_parse)
    s = sub.add_parser("score", help="LAS of a model on an annotated CoNLL-U file")
    s.add_argument("model")
    s.add_argument("input")
    s.set_defaults(func=_score)
    s = sub.add_parser("reproduce", help="run a scale with config fields from a JSON file")
    s.add_argument("--scale", default="mini", choices=("smoke", "mini", "real", "paper"))
    s.add_argument("--config", help="JSON object of VacaiConfig fields to override")
    s.add_argument("--out", default="runs/vacai")
    s.add_argument("--jobs", type=int, default=1)
    s.set_defaults(func=_reproduce)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    torch.set_num_threads(1)
    try:
        return int(args.func(args))
    except (ConlluError, ModelFileError, ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
