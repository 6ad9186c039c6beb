"""The corpora of a run: labelled source treebanks (train + a held-out dev part for model selection)
and held-out targets (test + unlabelled text for TOPPing).

* ``synthetic``: the miniature's generated varieties (:mod:`advfrontier.vacai.synth`), written to
  CoNLL-U and read back so the miniature goes through the same I/O as real data.
* ``ud``: UD treebank folders in a local directory (``<data_dir>/ud/<Treebank>/*-ud-<split>.conllu`` or
  ``<data_dir>/<Treebank>/...``); a split may be spread over several files
  (``de_hdt-ud-train-a-1.conllu``, ``...-a-2``, ...), which are read in name order and concatenated.
* ``bundled``: the same layout under the package's own ``treebanks/`` folder (the ``real`` scale).

A source is named ``<Treebank>`` (its train split) or ``<Treebank>:<split>`` (that split as training
material, for treebanks that publish only dev/test).
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from pathlib import Path

from advfrontier.shared.data import DataNotFoundError, resolve_data_dir
from advfrontier.vacai.config import VacaiConfig
from advfrontier.vacai.conllu_io import Sentence, read_conllu, require_annotated, write_conllu
from advfrontier.vacai.synth import SOURCES, draw_targets, generate, make_lexicon

UD_SOURCE = "https://github.com/UniversalDependencies/<Treebank> (or the UD release on lindat.mff.cuni.cz)"
BUNDLED = Path(__file__).resolve().parent / "treebanks"
"""The treebanks committed with the package (CC BY-SA, each with its LICENSE and README)."""


@dataclass
class Target:
    """A held-out variety: its labelled test set and the unlabelled text TOPPing may read."""

    test: list[Sentence]
    unlabeled: list[list[str]]
    unlabeled_from: str = "generated"
    """Which split the unlabelled text came from (its forms only)."""


@dataclass
class Corpus:
    sources: dict[str, list[Sentence]]
    """Training sentences of each source."""
    dev: dict[str, list[Sentence]]
    """Held-out sentences of each source: model selection and early stopping (never target data)."""
    targets: dict[str, Target]


def load_synthetic(cfg: VacaiConfig, seed: int, out_dir: str | Path | None = None) -> Corpus:
    """Generate the miniature's varieties with ``seed``; round-trip them through CoNLL-U if ``out_dir``."""
    lex = make_lexicon()
    sources = {v.name: generate(v, cfg.train_per_source, seed, lex) for v in SOURCES}
    n_dev = max(1, round(cfg.dev_fraction * cfg.train_per_source))
    dev = {v.name: generate(v, n_dev, seed + 20_000, lex) for v in SOURCES}
    targets = {}
    for v in draw_targets(seed):
        test = generate(v, cfg.test_per_target, seed, lex)
        unlabeled = generate(v, cfg.unlabeled_per_target, seed + 10_000, lex)
        targets[v.name] = Target(test, [s.forms for s in unlabeled])
    if out_dir is not None:  # the miniature reads what it wrote, like real data
        out = Path(out_dir)
        for name, sents in sources.items():
            sources[name] = read_conllu(write_conllu(out / f"{name}-train.conllu", sents), name)
        for name, t in targets.items():
            t.test = read_conllu(write_conllu(out / f"{name}-test.conllu", t.test), name)
    return Corpus(sources, dev, targets)


def treebank_dir(root: Path, name: str) -> Path:
    """``root/ud/<name>`` or ``root/<name>``; raises naming both when neither exists."""
    for cand in (root / "ud" / name, root / name):
        if cand.is_dir():
            return cand
    raise DataNotFoundError(
        f"UD treebank {name}: missing folder {root / 'ud' / name}.\n  Get it from "
        f"{UD_SOURCE.replace('<Treebank>', name)}\n  and place its *-ud-<split>.conllu files in "
        f"{root / 'ud' / name}/"
    )


def split_files(folder: Path, split: str, required: bool = True) -> list[Path]:
    """The file(s) of one split: ``*-ud-<split>.conllu`` or the parts ``*-ud-<split>-*.conllu``."""
    found = sorted(folder.glob(f"*-ud-{split}.conllu")) or sorted(folder.glob(f"*-ud-{split}-*.conllu"))
    if not found and required:
        raise DataNotFoundError(
            f"UD treebank {folder.name}: missing {folder}/<code>-ud-{split}.conllu.\n  Get it from "
            f"{UD_SOURCE.replace('<Treebank>', folder.name)}\n  and place it in {folder}/"
        )
    return found


def read_split(folder: Path, split: str, variety: str, required: bool = True) -> list[Sentence]:
    """All sentences of one split, its parts concatenated in name order."""
    return [s for path in split_files(folder, split, required) for s in read_conllu(path, variety)]


def cap(xs: list[Sentence], n: int, seed: int, tag: str) -> list[Sentence]:
    """A uniform random sample of ``n`` sentences in their original order (all when ``n <= 0``): the
    first n would come from the first few documents only."""
    if n <= 0 or n >= len(xs):
        return xs
    rng = random.Random(zlib.crc32(f"cap|{tag}|{seed}".encode()))
    return [xs[i] for i in sorted(rng.sample(range(len(xs)), n))]


def ud_root(cfg: VacaiConfig) -> Path:
    """Where the config's treebanks live."""
    if cfg.data == "bundled":
        return BUNDLED
    return resolve_data_dir(cfg.data_dir, "vacai (UD treebanks)")


def parse_source(spec: str) -> tuple[str, str]:
    """``"UD_X-Y"`` -> (``UD_X-Y``, ``train``); ``"UD_X-Y:dev"`` -> (``UD_X-Y``, ``dev``)."""
    name, _, split = spec.partition(":")
    return name, split or "train"


def load_ud(cfg: VacaiConfig, seed: int = 0) -> Corpus:
    """Sources' training material (a ``dev_fraction`` sample held out as dev) and targets' test splits."""
    root = ud_root(cfg)
    sources, dev = {}, {}
    for spec in cfg.sources:
        name, split = parse_source(spec)
        sents = read_split(treebank_dir(root, name), split, name)
        require_annotated(sents, f"source {spec}")
        n_dev = max(1, round(cfg.dev_fraction * len(sents)))
        held = {id(s) for s in cap(sents, n_dev, seed, f"dev|{spec}")}
        dev[name] = [s for s in sents if id(s) in held]
        sources[name] = cap([s for s in sents if id(s) not in held], cfg.train_per_source, seed, spec)
    targets = {}
    for name in cfg.targets:
        folder = treebank_dir(root, name)
        test = cap(read_split(folder, "test", name), cfg.test_per_target, seed, f"test|{name}")
        require_annotated(test, f"target {name} (test split)")
        raw, where = [], "test"
        for split in ("dev", "train"):  # forms only, never labels; the test split only as a last resort
            raw = read_split(folder, split, name, required=False)
            if raw:
                where = split
                break
        raw = raw or test
        raw = cap(raw, cfg.unlabeled_per_target, seed, f"unlabeled|{name}")
        targets[name] = Target(test, [s.forms for s in raw], where)
    return Corpus(sources, dev, targets)


def load_in_domain(cfg: VacaiConfig, seed: int) -> tuple[list[Sentence], list[Sentence], list[Sentence]]:
    """Train, dev and test splits of ``cfg.in_domain`` (train capped at ``cfg.in_domain_train``)."""
    folder = treebank_dir(ud_root(cfg), cfg.in_domain)
    train = cap(read_split(folder, "train", cfg.in_domain), cfg.in_domain_train, seed, "in-domain")
    dev = read_split(folder, "dev", cfg.in_domain)
    test = read_split(folder, "test", cfg.in_domain)
    for what, sents in (("train", train), ("dev", dev), ("test", test)):
        require_annotated(sents, f"{cfg.in_domain} {what}")
    return train, dev, test


def load_corpus(cfg: VacaiConfig, seed: int, work_dir: str | Path | None = None) -> Corpus:
    """The corpus a config names."""
    if cfg.data == "synthetic":
        return load_synthetic(cfg, seed, None if work_dir is None else Path(work_dir) / "data")
    return load_ud(cfg, seed)
