"""An AlpacaEval-style utility at the paper scale: the win rate of the defended model's answers over
text-davinci-003's reference answers (AlpacaFarm's evaluation set, AlpacaEval 1.0's baseline), ruled by a
local judge model.

Not AlpacaEval itself: its judge is an API model (GPT-4) with its own prompt, and this workspace reaches no
API. Here the judge is any instruction model saved in ``judge_path``; it reads the instruction and the two
answers under our wording and the rule is its next-token preference between "a" and "b". Each pair is
judged in both orders (position bias cancels); a win counts 1, a split 0.5. Numbers are comparable between
our methods, not to published AlpacaEval win rates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

JUDGE_PROMPT = (
    "Below are an instruction and two responses to it. Decide which response follows the instruction "
    "better: more helpful, more accurate and more complete. Reply with one letter, a or b.\n\n"
    "Instruction:\n{instruction}\n\nResponse (a):\n{a}\n\nResponse (b):\n{b}"
)


def _letter_id(tok: Any, letter: str) -> int:
    return tok(letter, add_special_tokens=False)["input_ids"][-1]


@torch.no_grad()
def prefers_first(judge: nn.Module, tok: Any, instruction: str, first: str, second: str) -> bool:
    """True when the judge's next token after the prompt is likelier "a" (``first``) than "b"."""
    msgs = [{"role": "user", "content": JUDGE_PROMPT.format(instruction=instruction, a=first, b=second)}]
    if getattr(tok, "chat_template", None):
        text = tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
    else:
        text = msgs[0]["content"] + "\n\nAnswer: ("
    ids = tok(text, return_tensors="pt", add_special_tokens=False).to(judge.device)
    logits = judge(**ids).logits[0, -1]
    return bool(logits[_letter_id(tok, "a")] > logits[_letter_id(tok, "b")])


def win_rate(judge: nn.Module, tok: Any, items: Sequence[tuple[str, str, str]]) -> float:
    """% wins of the candidate over the reference; ``items`` are (instruction, candidate, reference)."""
    score = 0.0
    for instruction, cand, ref in items:
        score += 0.5 * prefers_first(judge, tok, instruction, cand, ref)
        score += 0.5 * (not prefers_first(judge, tok, instruction, ref, cand))
    return 100.0 * score / max(1, len(items))
