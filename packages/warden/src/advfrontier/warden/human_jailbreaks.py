"""Human-jailbreak ASR at the paper scale, as HarmBench's HumanJailbreaks baseline: every test case is a
hand-written jailbreak template followed by the behaviour (``template + "\\n\\n" + behaviour``), answered
greedily and judged; the ASR is the share of (behaviour, template) cases judged harmful.

The templates are read from the data directory: HarmBench's ``baselines/human_jailbreaks/jailbreaks.py``
(its ``JAILBREAKS`` list, read with ``ast.literal_eval``, never executed) or a JSON list of strings.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import torch
from torch import nn

from advfrontier.shared.data.errors import DataNotFoundError, require
from advfrontier.warden.config import WardenConfig
from advfrontier.warden.harmbench import Behaviour
from advfrontier.warden.judge import Judge
from advfrontier.warden.llm_run import greedy_replies

SOURCE = "https://github.com/centerforaisafety/HarmBench (baselines/human_jailbreaks/jailbreaks.py)"


def load_templates(path: Path) -> list[str]:
    """The jailbreak templates in ``path`` (HarmBench's ``jailbreaks.py`` or a JSON list of strings)."""
    require(path, "human jailbreak templates", SOURCE, f"{path} holds the JAILBREAKS list")
    text = path.read_text()
    if path.suffix == ".json":
        found = json.loads(text)
    else:
        lists = [
            node.value
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Assign)
            and any(getattr(t, "id", "") == "JAILBREAKS" for t in node.targets)
        ]
        if not lists:
            raise DataNotFoundError(f"{path}: no JAILBREAKS = [...] assignment")
        try:
            found = ast.literal_eval(lists[0])
        except ValueError as err:
            raise DataNotFoundError(f"{path}: JAILBREAKS is not a plain list of strings ({err})") from err
    if not isinstance(found, list) or not found or not all(isinstance(t, str) for t in found):
        raise DataNotFoundError(f"{path}: expected a non-empty list of template strings")
    return found


@torch.no_grad()
def human_jailbreak_asr(
    model: nn.Module,
    tok: object,
    behaviours: list[Behaviour],
    judge: Judge,
    cfg: WardenConfig,
    templates: list[str],
) -> float:
    """% of the (behaviour, template) cases, over the first ``llm.human_behaviours`` behaviours and the
    first ``llm.human_templates`` templates, whose greedy answer (``llm.gen_tokens``) the judge rules
    harmful."""
    llm = cfg.llm
    assert llm is not None
    model.eval()
    cases = [(b, t) for b in behaviours[: llm.human_behaviours] for t in templates[: llm.human_templates]]
    hits: list[bool] = []
    for s in range(0, len(cases), llm.batch_size):
        chunk = cases[s : s + llm.batch_size]
        users = [f"{t}\n\n{b.prompt}" for b, t in chunk]
        texts = greedy_replies(model, tok, users, 2 * llm.jailbreak_max_prompt, cfg.device, llm.gen_tokens)
        hits += judge([b for b, _ in chunk], texts)
    return 100.0 * sum(hits) / max(1, len(hits))
