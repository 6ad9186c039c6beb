"""Head/tail summaries, the class-uniform sampler, the cosine schedule and exact resume."""

import math

import pytest
import torch

from advfrontier.mcat.evaluate import rank_groups, summarise
from advfrontier.mcat.train import epoch_order, lr_at, train
from advfrontier.shared.data.splits import Split
from advfrontier.shared.train import Standard


def test_rank_groups_sort_by_frequency_then_index() -> None:
    counts = torch.tensor([5, 50, 5, 20, 1, 8])
    groups = rank_groups(counts, 3)
    assert [g.tolist() for g in groups] == [[1, 3], [5, 0], [2, 4]]


def test_summarise_head_tail_balanced_closed_form() -> None:
    labels = torch.tensor([0, 0, 1, 1, 1, 1, 2, 3, 4, 5])
    counts = torch.tensor([60, 40, 30, 20, 10, 5])  # head = {0, 1}, tail = {4, 5}
    ok = torch.tensor([1, 1, 1, 0, 0, 0, 1, 0, 1, 0], dtype=torch.bool)
    out = summarise({"pgd20": ok}, labels, counts, groups=6)
    per_class = [1.0, 0.25, 1.0, 0.0, 1.0, 0.0]
    assert out["pgd20_acc"] == pytest.approx(50.0)
    assert out["bal_pgd20_acc"] == pytest.approx(100 * sum(per_class) / 6)
    assert out["head_pgd20_acc"] == pytest.approx(100 * (1.0 + 0.25) / 2)
    assert out["tail_pgd20_acc"] == pytest.approx(100 * (1.0 + 0.0) / 2)
    assert [out[f"pgd20_g{i}"] for i in range(6)] == pytest.approx([100 * p for p in per_class])


def test_class_uniform_sampler_balances_classes() -> None:
    labels = torch.tensor([0] * 900 + [1] * 90 + [2] * 10)
    order = epoch_order(labels, "class_uniform", torch.Generator().manual_seed(0))
    freq = torch.bincount(labels[order], minlength=3).float() / len(order)
    torch.testing.assert_close(freq, torch.full((3,), 1 / 3), atol=0.04, rtol=0)
    plain = epoch_order(labels, "shuffle", torch.Generator().manual_seed(0))
    assert sorted(plain.tolist()) == list(range(1000))


def test_cosine_schedule_endpoints() -> None:
    assert lr_at(0, 200, 0.1, "cosine") == pytest.approx(0.1)
    assert lr_at(100, 200, 0.1, "cosine") == pytest.approx(0.05)
    assert lr_at(150, 200, 0.1, "cosine") == pytest.approx(0.05 * (1 + math.cos(0.75 * math.pi)))
    assert lr_at(7, 200, 0.1, "constant") == 0.1


def test_resume_matches_uninterrupted(tmp_path) -> None:
    torch.manual_seed(0)
    data = Split(torch.rand(40, 1, 8, 8), torch.arange(40) % 4)
    net = lambda: torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 4))  # noqa: E731
    torch.manual_seed(1)
    a = net()
    train(a, data, Standard(), 3, 8, 0.1, seed=0, checkpoint_dir=None)
    torch.manual_seed(1)
    b = net()
    train(b, data, Standard(), 3, 8, 0.1, seed=0, checkpoint_dir=tmp_path, max_steps=7)  # killed in epoch 2
    train(b, data, Standard(), 3, 8, 0.1, seed=0, checkpoint_dir=tmp_path)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        torch.testing.assert_close(p, q)


def test_training_reports_progress_per_epoch(tmp_path, capsys) -> None:
    data = Split(torch.rand(16, 1, 8, 8), torch.arange(16) % 4)
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 4))
    train(net, data, Standard(), 2, 8, 0.1, seed=0, checkpoint_dir=tmp_path, desc="probe")
    err = capsys.readouterr().err
    assert "[probe] epoch 1/2 · loss" in err and "[probe] epoch 2/2 · loss" in err


def test_a_resumed_run_keeps_the_mechanism_log_of_the_epochs_before_the_kill(tmp_path) -> None:
    from advfrontier.mcat.objectives import TermLog

    torch.manual_seed(0)
    data = Split(torch.rand(40, 1, 8, 8), torch.arange(40) % 4)
    net = lambda: torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 4))  # noqa: E731

    def logged(log: TermLog):
        def objective(model, x, y):
            ce = torch.nn.functional.cross_entropy(model(x), y, reduction="none")
            log.add(ce, 0.5 * ce)
            return ce.mean()

        return objective

    def run(log: TermLog, ckpt, max_steps=None) -> None:
        torch.manual_seed(1)
        train(
            net(), data, logged(log), 3, 8, 0.1, seed=0, checkpoint_dir=ckpt, max_steps=max_steps,
            on_epoch_end=log.end_epoch, extra_state=log,
        )  # fmt: skip

    straight = TermLog()
    run(straight, None)
    run(TermLog(), tmp_path, max_steps=7)  # killed in epoch 2, after epoch 1's checkpoint
    resumed = TermLog()  # a new process: the log starts empty and is restored from the checkpoint
    run(resumed, tmp_path)
    assert len(resumed.epochs) == 3
    for k, v in straight.metrics().items():
        assert resumed.metrics()[k] == pytest.approx(v, rel=1e-5), k
