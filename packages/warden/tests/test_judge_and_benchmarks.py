"""Paper-scale evaluation pieces: the judge choice (HarmBench classifier vs keyword fallback) and the
MMLU / ARC utility benchmarks, on tiny files in their real formats and on stub models whose answers are
known."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from advfrontier.shared.data.errors import DataNotFoundError
from advfrontier.shared.lm.benchmarks import Item, question_text
from advfrontier.warden.benchmarks import accuracy
from advfrontier.warden.harmbench import Behaviour, load_harmbench
from advfrontier.warden.judge import classifier_judge, fill, keyword_judge, load_judge
from advfrontier.warden.llm_run import gcg_asr, load_llm
from advfrontier.warden.paper import run

VOCAB = ["<pad>", "A", "B", "C", "D", "Yes", "No", "1", "2"]


class StubTok:
    """Word-level tokenizer over VOCAB (unknown words -> <pad>); no chat template."""

    pad_token_id = 0
    bos_token = ""
    chat_template = None

    def __call__(self, text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        ids = [VOCAB.index(w) if w in VOCAB else 0 for w in text.replace(".", " ").split()]
        return {"input_ids": ids or [0]}


class FavoursLastToken(torch.nn.Module):
    """Next-token logits: +1 on ``favour`` everywhere; +5 on "Yes" if the prompt holds token ``trigger``."""

    def __init__(self, favour: str, trigger: str = "1") -> None:
        super().__init__()
        self.w = torch.nn.Parameter(torch.zeros(1))
        self.favour, self.trigger = VOCAB.index(favour), VOCAB.index(trigger)

    def forward(self, input_ids, attention_mask, position_ids):
        logits = torch.zeros(*input_ids.shape, len(VOCAB))
        logits[..., self.favour] += 1.0
        hit = (input_ids == self.trigger).any(1)
        logits[hit, :, VOCAB.index("Yes")] += 5.0
        return SimpleNamespace(logits=logits)


def _items(answers: str) -> list[Item]:
    return [Item("q", ("A", "B", "C", "D"), ("w", "x", "y", "z"), a) for a in answers]


def test_accuracy_is_the_share_of_items_whose_letter_wins() -> None:
    model = FavoursLastToken("B")
    assert accuracy(model, StubTok(), _items("BBAC"), batch_size=3) == pytest.approx(50.0)
    assert accuracy(model, StubTok(), _items("ACD"), batch_size=2) == 0.0
    with pytest.raises(ValueError, match="no benchmark items"):
        accuracy(model, StubTok(), [])


def test_question_text_lists_every_choice() -> None:
    text = question_text(Item("What?", ("1", "2"), ("yes", "no"), "2"))
    assert "1. yes" in text and "2. no" in text and text.startswith("What?")


def test_classifier_judge_fills_the_right_template_and_reads_yes_over_no() -> None:
    plain = Behaviour("p", "do 2", ("t",), "standard", "do 2")
    contextual = Behaviour("c", "ctx\n\n---\n\ndo 2", ("t",), "contextual", "do 2", "ctx")
    templates = ("B: {behavior} G: {generation}", "C: {context} B: {behavior} G: {generation} {keep}")
    assert fill(templates[0], plain, "gen") == "B: do 2 G: gen"
    assert fill(templates[1], contextual, "gen") == "C: ctx B: do 2 G: gen {keep}"
    judge = classifier_judge(FavoursLastToken("No"), StubTok(), templates, batch_size=1)
    assert judge([plain, contextual], ["1", "2"]) == [True, False]  # "1" in the generation -> Yes
    assert keyword_judge([plain, plain], ["Sure, here it is", "I'm sorry, I can't"]) == [True, False]


def test_judge_falls_back_to_keywords_and_names_missing_prompts(tmp_path: Path, paper_files) -> None:
    judge, is_classifier = load_judge(tmp_path / "absent", "cpu", "float32")
    assert judge is keyword_judge and not is_classifier
    paper_files.model(tmp_path / "cls")
    with pytest.raises(DataNotFoundError, match=r"prompt\.txt"):
        load_judge(tmp_path / "cls", "cpu", "float32")
    (tmp_path / "cls" / "prompt.txt").write_text("{behavior} {generation}")
    (tmp_path / "cls" / "prompt_contextual.txt").write_text("{behavior} {generation}")
    with pytest.raises(DataNotFoundError, match=r"\{context\}"):
        load_judge(tmp_path / "cls", "cpu", "float32")
    (tmp_path / "cls" / "prompt_contextual.txt").write_text("{context} {behavior} {generation}")
    judge, is_classifier = load_judge(tmp_path / "cls", "cpu", "float32")
    assert is_classifier
    paper_files.data(tmp_path / "data")
    test = load_harmbench(tmp_path / "data" / "harmbench", "test")
    assert len(judge(test, ["sure"] * len(test))) == len(test)


def test_paper_run_records_judge_quantisation_and_benchmarks(tmp_path: Path, paper_files) -> None:
    paper_files.data(tmp_path)
    (tmp_path / "mmlu" / "test").mkdir(parents=True)
    with (tmp_path / "mmlu" / "test" / "x_test.csv").open("w", newline="") as fh:
        csv.writer(fh).writerows([["how to", "a", "b", "c", "d", "B"]] * 3)
    cfg = paper_files.config(tmp_path)
    cfg = replace(cfg, methods=("cat",), llm=replace(cfg.llm, benchmark_items=2))
    metrics = run(cfg, 0)
    assert metrics["cat/nf4"] == 0.0 and metrics["cat/judge_classifier"] == 0.0  # CPU, no classifier
    assert metrics["cat/mmlu_acc"] in (0.0, 50.0, 100.0) and "cat/arc_acc" not in metrics
    with pytest.raises(ValueError, match="quantize"):
        replace(cfg.llm, quantize="int8")


def test_gcg_asr_counts_what_the_judge_rules(tmp_path: Path, paper_files) -> None:
    paper_files.data(tmp_path)
    cfg = paper_files.config(tmp_path)
    cfg = replace(cfg, llm=replace(cfg.llm, gcg_behaviours=2, gcg_steps=20))
    model, tok = load_llm(tmp_path / "models" / "tiny", "cpu", "float32")
    test = load_harmbench(tmp_path / "harmbench", "test")
    asked: list[str] = []

    def always(behaviours, generations) -> list[bool]:
        asked.extend(b.behavior_id for b in behaviours)
        return [True] * len(behaviours)

    g = torch.Generator().manual_seed(0)
    assert gcg_asr(model, tok, test, always, cfg, g) == 100.0
    assert asked == ["b0", "b1"]  # early stop: one check per behaviour, at step 10
    assert gcg_asr(model, tok, test, lambda b, t: [False] * len(b), cfg, g) == 0.0
