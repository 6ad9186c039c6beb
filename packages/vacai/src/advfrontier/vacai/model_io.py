"""Save and load a trained parser (one ``.pt`` file: hyperparameters, vocabularies, weights) and parse
CoNLL-U files with it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from advfrontier.vacai.conllu_io import Sentence, read_conllu, write_conllu
from advfrontier.vacai.encoder import ScratchEncoder
from advfrontier.vacai.train import predict
from advfrontier.vacai.vacai_bowl import VarietyParser

FORMAT = "advfrontier-vacai-parser/1"


class ModelFileError(ValueError):
    """A file that is not a saved vacai parser."""


def save_model(
    path: str | Path, model: VarietyParser, rel_names: Sequence[str], varieties: Sequence[str], **info: Any
) -> Path:
    """Write ``model`` (scratch encoder only) with what is needed to rebuild it."""
    enc = model.encoder
    if not isinstance(enc, ScratchEncoder):
        raise ValueError("only parsers with the scratch encoder can be saved (a transformer is a path)")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(
        {
            "format": FORMAT,
            "encoder": dict(enc.hparams),
            "vocab": enc.vocab,
            "chars": enc.chars,
            "parser": dict(model.hparams),
            "rel_names": list(rel_names),
            "varieties": list(varieties),
            "info": info,
            "state_dict": {k: v.cpu() for k, v in model.state_dict().items()},
        },
        path,
    )
    return path


def load_model(path: str | Path, device: str = "cpu") -> tuple[VarietyParser, list[str]]:
    """The parser saved at ``path`` (in eval mode) and its relation labels."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises many kinds for a file that is not a checkpoint
        raise ModelFileError(f"{path}: not a saved vacai parser ({type(err).__name__})") from None
    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a saved vacai parser (format {FORMAT} expected)")
    e = blob["encoder"]
    enc = ScratchEncoder(
        emb_dim=e["emb_dim"],
        hidden=e["hidden"],
        layers=e["layers"],
        buckets=e["buckets"],
        ngram=tuple(e["ngram"]),
        word_dropout=e["word_dropout"],
        char_dim=e["char_dim"],
        vocab=blob["vocab"],
        chars=blob["chars"],
    )
    p = blob["parser"]
    model = VarietyParser(
        enc,
        p["variant"],
        p["n_rels"],
        p["n_varieties"],
        p["branch_dim"],
        p["arc_dim"],
        p["rel_dim"],
        p["dropout"],
        p["adv_level"],
    )
    model.load_state_dict(blob["state_dict"])
    return model.to(device).eval(), list(blob["rel_names"])


def parse_file(model: VarietyParser, rel_names: Sequence[str], src: str | Path, dst: str | Path) -> Path:
    """Parse every sentence of ``src`` (annotated or not) and write the predictions to ``dst``."""
    sents: list[Sentence] = read_conllu(src)
    heads, rels = predict(model, sents, rel_names)
    return write_conllu(dst, sents, heads, rels)
