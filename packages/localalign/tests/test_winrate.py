"""The AlpacaEval-style win rate on stub judges whose preferences are known."""

import re

import torch

from advfrontier.localalign.winrate import prefers_first, win_rate


class _Enc(dict):
    def to(self, device):
        return self


class _Tok:
    """Letters "a"/"b" are tokens 0/1; a prompt is remembered so the stub judge can read it."""

    chat_template = None

    def __init__(self) -> None:
        self.last = ""

    def __call__(self, text, return_tensors=None, add_special_tokens=False):
        if return_tensors is None:
            return {"input_ids": [{"a": 0, "b": 1}[text]]}
        self.last = text
        return _Enc(input_ids=torch.zeros(1, 3, dtype=torch.long))


class _Judge(torch.nn.Module):
    """Prefers the response holding GOOD; ``biased``: always answers "a" (pure position bias)."""

    device = "cpu"

    def __init__(self, tok: _Tok, biased: bool = False) -> None:
        super().__init__()
        self.tok, self.biased = tok, biased

    def forward(self, input_ids):
        a = re.search(r"Response \(a\):\n(.*?)\n\nResponse \(b\)", self.tok.last, re.S).group(1)
        first = self.biased or "GOOD" in a
        logits = torch.zeros(1, input_ids.shape[1], 2)
        logits[0, -1, 0 if first else 1] = 1.0
        return type("Out", (), {"logits": logits})()


def test_win_rate_reads_the_judges_preference_in_both_orders() -> None:
    tok = _Tok()
    judge = _Judge(tok)
    assert prefers_first(judge, tok, "say hi", "GOOD hi", "meh")
    assert not prefers_first(judge, tok, "say hi", "meh", "GOOD hi")
    assert win_rate(judge, tok, [("say hi", "GOOD hi", "meh")] * 3) == 100.0
    assert win_rate(judge, tok, [("say hi", "meh", "GOOD hi")] * 3) == 0.0
    assert win_rate(judge, tok, [("x", "GOOD", "meh"), ("y", "meh", "GOOD")]) == 50.0
    # a judge that only ever says "a" gives every pair a split: position bias cancels out
    assert win_rate(_Judge(tok, biased=True), tok, [("say hi", "meh", "GOOD hi")] * 4) == 50.0
