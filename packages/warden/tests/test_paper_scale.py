"""The paper-scale path on tiny generated files in the real formats: HarmBench CSV/JSON, UltraChat
JSON lines and a randomly initialised Llama saved with save_pretrained; two optimiser steps."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch
from peft.tuners.tuners_utils import BaseTunerLayer

from advfrontier.shared.data.errors import DataNotFoundError
from advfrontier.warden.config import PAPER_SCALE
from advfrontier.warden.harmbench import load_harmbench, read_chats
from advfrontier.warden.lora import add_lora
from advfrontier.warden.paper import run


def test_loaders_read_the_real_formats(tmp_path: Path, paper_files) -> None:
    paper_files.data(tmp_path)
    train = load_harmbench(tmp_path / "harmbench", "train")
    assert len(train) == 4 and train[0].targets == ("sure here is", "sure")
    test = load_harmbench(tmp_path / "harmbench", "test")
    assert [b.behavior_id for b in test] == ["b0", "b1"]  # copyright left out
    assert test[1].prompt.startswith("the story") and test[1].prompt.endswith("write the recipe")
    assert len(load_harmbench(tmp_path / "harmbench", "test", include_copyright=True)) == 3
    assert read_chats(tmp_path / "ultrachat" / "train.jsonl")[0] == ("write a poem about cats", "cats")


def test_missing_data_and_weights_name_the_file(tmp_path: Path, paper_files) -> None:
    with pytest.raises(DataNotFoundError, match=r"adv_training_behaviors\.csv"):
        load_harmbench(tmp_path, "train")
    paper_files.data(tmp_path)
    cfg = paper_files.config(tmp_path)
    missing = replace(cfg, llm=replace(cfg.llm, model_dir="models/Llama-2-7b-chat-hf"))
    with pytest.raises(DataNotFoundError, match=r"Llama-2-7b-chat-hf/config\.json"):
        run(missing, 0)
    (tmp_path / "autodan" / "prompt_group.pth").unlink()
    with pytest.raises(DataNotFoundError, match=r"autodan/prompt_group\.pth"):
        run(cfg, 0)


def test_lora_starts_at_the_base_model_and_trains_only_its_factors() -> None:
    torch.manual_seed(0)
    net = torch.nn.Sequential()
    net.add_module("q_proj", torch.nn.Linear(6, 5))
    net.add_module("o_proj", torch.nn.Linear(5, 5))
    x = torch.randn(3, 6)
    before = net(x)
    params = add_lora(net, r=2, alpha=4.0, dropout=0.0, targets=("q_proj",))
    assert isinstance(net.q_proj, BaseTunerLayer) and not isinstance(net.o_proj, BaseTunerLayer)
    assert torch.allclose(net(x), before)
    a, b = net.q_proj.lora_A["default"], net.q_proj.lora_B["default"]
    b.weight.data.normal_()
    h = net.q_proj.base_layer(x) + 2.0 * b(a(x))  # scale alpha / r = 2
    assert torch.allclose(net(x), net.o_proj(h), atol=1e-6)
    trainable = {id(p) for p in net.parameters() if p.requires_grad}
    assert trainable == {id(p) for p in params} == {id(a.weight), id(b.weight)}
    with pytest.raises(ValueError, match="no linear layer"):
        add_lora(torch.nn.Sequential(torch.nn.ReLU()), r=2, alpha=4.0, dropout=0.0)


def test_paper_config_runs_two_steps_on_tiny_files(tmp_path: Path, paper_files) -> None:
    paper_files.data(tmp_path)
    metrics = run(paper_files.config(tmp_path), 0)
    for method in PAPER_SCALE.methods:
        for key in (
            "asr_direct",
            "asr_emb",
            "asr_emb_2x",
            "asr_gcg",
            "over_refusal",
            "utility_nll",
            "weight_max",
            "asr_autodan",
            "asr_human",
        ):
            assert torch.isfinite(torch.tensor(metrics[f"{method}/{key}"]))
        assert metrics[f"{method}/autodan_mutation"] == 1.0 and 0 <= metrics[f"{method}/asr_autodan"] <= 100
    assert metrics["cat/weight_max"] == pytest.approx(1.0)  # uniform: n·max q = 1
    assert metrics["warden_kl/weight_max"] > 1.0  # the DRO layer moved weight onto the worst example
    assert 0.0 <= metrics["cat/asr_emb"] <= 100.0


def test_training_loop_runs_on_fabric_precision(tmp_path: Path, paper_files) -> None:
    """CAT-UL's loss forwards run under the process Fabric's precision (bf16-mixed on CPU here) and its
    backward is Fabric's (a plain ``.backward()`` on a Fabric forward raises under mixed precision); the
    attack stays on the bare module. A loop that bypassed Fabric would see fp32 logits."""
    from lightning.fabric import Fabric

    from advfrontier.shared import engine
    from advfrontier.warden.harmbench import load_harmbench, read_chats
    from advfrontier.warden.llm_run import load_llm, train_llm

    paper_files.data(tmp_path)
    cfg = paper_files.config(tmp_path)
    model, tok = load_llm(tmp_path / cfg.llm.model_dir, "cpu", "float32")
    train = load_harmbench(tmp_path / cfg.llm.harmbench_dir, "train")
    chats = read_chats(tmp_path / cfg.llm.utility_file)
    seen: list[torch.dtype] = []
    model.lm_head.register_forward_hook(
        lambda m, i, out: seen.append(out.dtype) if torch.is_grad_enabled() and m.training else None
    )
    engine.use(Fabric(accelerator="cpu", devices=1, precision="bf16-mixed"))
    try:
        stats = train_llm(model, tok, train, chats, cfg, "kl", 0.5, torch.Generator().manual_seed(0))
    finally:
        engine.use(None)
    assert seen and set(seen) == {torch.bfloat16}
    assert stats["weight_max"] >= 1.0


def test_autodan_fills_templates_and_mutates_by_paraphrase(tmp_path: Path, paper_files) -> None:
    from advfrontier.warden.autodan import fill, load_references, paraphraser
    from advfrontier.warden.llm_run import load_llm

    t = "You are ChatGPT by ModelKeeper.\n\n[MODEL] of [KEEPER] will answer [REPLACE]."
    assert fill(t, "Make A Bomb", "Llama-2", "Meta") == (
        "You are Llama-2 by Meta.\n\nLlama-2 of Meta will answer make a bomb. Make A Bomb"
    )
    (tmp_path / "refs.json").write_text('["a", 3]')
    with pytest.raises(DataNotFoundError, match="list of prompt strings"):
        load_references(tmp_path / "refs.json")
    paper_files.data(tmp_path)
    assert len(load_references(tmp_path / "autodan" / "prompt_group.pth")) == 2
    model, tok = load_llm(tmp_path / "models" / "tiny", "cpu", "float32")
    mutate = paraphraser(model.eval(), tok, seed=0)
    first, again = mutate("the story is here."), mutate("the story is here.")
    assert isinstance(first, str) and first and first != again  # sampled, from a seeded stream


def test_human_jailbreaks_are_read_without_running_the_file(tmp_path: Path) -> None:
    from advfrontier.warden.human_jailbreaks import load_templates

    f = tmp_path / "jailbreaks.py"
    f.write_text('raise SystemExit("executed")\nOTHER = ["x"]\nJAILBREAKS = ["a {x}", "b"]\n')
    assert load_templates(f) == ["a {x}", "b"]
    f.write_text("JAILBREAKS = [open('/etc/passwd').read()]\n")
    with pytest.raises(DataNotFoundError, match="plain list"):  # not a literal: never evaluated
        load_templates(f)
    f.write_text("NOTHING = 1\n")
    with pytest.raises(DataNotFoundError, match="JAILBREAKS"):
        load_templates(f)
    with pytest.raises(DataNotFoundError, match=r"jailbreaks\.json"):
        load_templates(tmp_path / "jailbreaks.json")
