"""The corpora of a run: labelled source treebanks and held-out targets (test + unlabelled text).

* ``synthetic``: the miniature's generated varieties (:mod:`advfrontier.vacai.synth`), written to
  CoNLL-U and read back through stanza so the miniature goes through the same I/O as real data.
* ``ud``: UD treebank folders in a local directory (``<data_dir>/ud/<Treebank>/*-ud-<split>.conllu``
  or ``<data_dir>/<Treebank>/...``), as DialectBench's dependency-parsing task uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advfrontier.shared.data import DataNotFoundError, resolve_data_dir
from advfrontier.vacai.config import VacaiConfig
from advfrontier.vacai.conllu_io import Sentence, read_conllu, write_conllu
from advfrontier.vacai.synth import SOURCES, TARGETS, generate, make_lexicon

UD_SOURCE = "https://github.com/UniversalDependencies/<Treebank> (or the UD release on lindat.mff.cuni.cz)"


@dataclass
class Target:
    """A held-out variety: its labelled test set and the unlabelled text TOPPing may read."""

    test: list[Sentence]
    unlabeled: list[list[str]]


@dataclass
class Corpus:
    sources: dict[str, list[Sentence]]
    targets: dict[str, Target]


def load_synthetic(cfg: VacaiConfig, seed: int, out_dir: str | Path | None = None) -> Corpus:
    """Generate the miniature's varieties with ``seed``; round-trip them through CoNLL-U if ``out_dir``."""
    lex = make_lexicon()
    sources = {v.name: generate(v, cfg.train_per_source, seed, lex) for v in SOURCES}
    targets = {}
    for v in TARGETS:
        test = generate(v, cfg.test_per_target, seed, lex)
        unlabeled = generate(v, cfg.unlabeled_per_target, seed + 10_000, lex)
        targets[v.name] = Target(test, [s.forms for s in unlabeled])
    if out_dir is not None:  # the miniature reads what it wrote, like real data
        out = Path(out_dir)
        for name, sents in sources.items():
            sources[name] = read_conllu(write_conllu(out / f"{name}-train.conllu", sents), name)
        for name, t in targets.items():
            t.test = read_conllu(write_conllu(out / f"{name}-test.conllu", t.test), name)
    return Corpus(sources, targets)


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


def split_file(folder: Path, split: str, required: bool = True) -> Path | None:
    """The ``*-ud-<split>.conllu`` file of a treebank folder."""
    found = sorted(folder.glob(f"*-ud-{split}.conllu"))
    if found:
        return found[0]
    if required:
        raise DataNotFoundError(
            f"UD treebank {folder.name}: missing {folder}/<code>-ud-{split}.conllu.\n  Get it from "
            f"{UD_SOURCE.replace('<Treebank>', folder.name)}\n  and place it in {folder}/"
        )
    return None


def _cap(xs: list[Sentence], n: int) -> list[Sentence]:
    return xs if n <= 0 else xs[:n]


def load_ud(cfg: VacaiConfig) -> Corpus:
    """Sources' train splits and targets' test splits from the local UD directory."""
    root = resolve_data_dir(cfg.data_dir, "vacai (UD treebanks)")
    sources = {}
    for name in cfg.sources:
        path = split_file(treebank_dir(root, name), "train")
        assert path is not None
        sources[name] = _cap(read_conllu(path, name), cfg.train_per_source)
    targets = {}
    for name in cfg.targets:
        folder = treebank_dir(root, name)
        test_path = split_file(folder, "test")
        assert test_path is not None
        test = _cap(read_conllu(test_path, name), cfg.test_per_target)
        dev_path = split_file(folder, "dev", required=False)
        raw = read_conllu(dev_path, name) if dev_path is not None else test  # forms only, never labels
        targets[name] = Target(test, [s.forms for s in raw[: cfg.unlabeled_per_target or None]])
    return Corpus(sources, targets)


def load_corpus(cfg: VacaiConfig, seed: int, work_dir: str | Path | None = None) -> Corpus:
    """The corpus a config names."""
    if cfg.data == "synthetic":
        return load_synthetic(cfg, seed, None if work_dir is None else Path(work_dir) / "data")
    return load_ud(cfg)
