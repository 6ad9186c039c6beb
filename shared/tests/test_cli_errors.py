"""First contact: every error a user can cause ends in one clear line and exit 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advfrontier.shared import cli


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    cap = capsys.readouterr()
    return code, cap.err + cap.out


def _one_line_error(code: int, text: str, *needles: str) -> None:
    assert code == 2, text
    assert "Traceback" not in text
    lines = [ln for ln in text.strip().splitlines() if ln.startswith("advfrontier:")]
    assert len(lines) == 1, text
    for n in needles:
        assert n in lines[0], lines[0]


def test_cli_errors_unknown_paper(capsys) -> None:
    _one_line_error(*_run(capsys, "check", "nosuch"), "unknown paper 'nosuch'")
    _one_line_error(*_run(capsys, "table", "nosuch"), "unknown paper 'nosuch'")
    _one_line_error(*_run(capsys, "reproduce", "nosuch", "--scale", "smoke"), "unknown paper 'nosuch'")


def test_cli_errors_out_is_a_file(tmp_path: Path, capsys) -> None:
    f = tmp_path / "file.txt"
    f.write_text("x")
    _one_line_error(*_run(capsys, "reproduce", "baselines", "--scale", "smoke", "--out", str(f)), "is a file")


def test_cli_errors_cuda_without_cuda_says_so_before_work(tmp_path: Path, capsys) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("a CUDA device is visible")
    t0 = time.perf_counter()
    code, text = _run(
        capsys, "reproduce", "baselines", "--scale", "smoke", "--device", "cuda", "--out", str(tmp_path)
    )
    _one_line_error(code, text, "no CUDA device")
    assert time.perf_counter() - t0 < 10 and not (tmp_path / "smoke.json").exists()


def test_cli_errors_paper_config_falls_back_to_cpu_with_a_warning(capsys) -> None:
    import torch

    from advfrontier.shared import registry, runner

    if torch.cuda.is_available():
        pytest.skip("a CUDA device is visible")
    paper = registry.load_paper("baselines")
    assert paper.config("paper").device == "cuda"
    assert runner.resolve_device(paper.config("paper"), None) == "cpu"
    assert "no CUDA device is visible" in capsys.readouterr().err
    assert runner.resolve_device(paper.config("paper"), "cpu") == "cpu"


def test_cli_errors_diff_inputs(tmp_path: Path, capsys) -> None:
    _one_line_error(*_run(capsys, "diff", str(tmp_path), str(tmp_path)), "is a folder")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    _one_line_error(*_run(capsys, "diff", str(broken), str(broken)), "broken.json", "not valid JSON")
    nosummary = tmp_path / "nosummary.json"
    nosummary.write_text(
        json.dumps({"schema": "advfrontier.result/2", "paper": "p", "scale": "mini", "seeds": [0]})
    )
    _one_line_error(*_run(capsys, "diff", str(nosummary), str(nosummary)), "nosummary.json", "summary")
    _one_line_error(*_run(capsys, "diff", str(tmp_path / "none.json"), str(broken)), "no result file")


def test_cli_errors_diff_of_two_papers_says_so_first(capsys) -> None:
    root = Path(__file__).resolve().parents[2]
    a = root / "shared/results/smoke.json"
    b = next(p for p in sorted((root / "packages").glob("*/results/smoke.json")))
    code, text = _run(capsys, "diff", str(a), str(b))
    _one_line_error(code, text, "different papers")
    assert "DRIFT" not in text


def test_cli_errors_ctrl_c_stops_cleanly(monkeypatch, capsys) -> None:
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_list", interrupted)
    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    for action in parser._subparsers._group_actions[0].choices.values():
        if action.prog.endswith(" list"):
            action.set_defaults(func=interrupted)
    code, text = _run(capsys, "list")
    assert code == 130 and "interrupted; rerun the same command to resume" in text and "Traceback" not in text


def test_cli_errors_data_dir_names_every_missing_file(tmp_path: Path) -> None:
    from advfrontier.shared.data import DataNotFoundError, load_image_dataset

    for d in (tmp_path / "nonexistent", tmp_path):
        with pytest.raises(DataNotFoundError) as err:
            load_image_dataset("cifar10", data_dir=d)
        msg = str(err.value)
        assert "data_batch_1" in msg and "data_batch_5" in msg and "test_batch" in msg
        assert "https://" in msg and "cifar-10-batches-py" in msg


def test_cli_help_is_fast_and_imports_no_torch() -> None:
    code = (
        "import sys, time; t = time.perf_counter(); from advfrontier.shared import cli; "
        "rc = 0\ntry:\n    cli.main(['diff', '--help'])\nexcept SystemExit as e:\n    rc = e.code\n"
        "assert rc == 0; print('torch' in sys.modules, time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded, _seconds = out.split()[-2:]
    assert loaded == "False", "the CLI imported torch for --help"  # what made it take 4 s (timed by hand)


def test_cli_errors_model_for_a_paper_without_one(capsys) -> None:
    from advfrontier.shared.config import RunConfig, with_overrides

    assert with_overrides(RunConfig(scale="smoke"), model=None) == RunConfig(
        scale="smoke"
    )  # None: no override
    with pytest.raises(ValueError, match="no field"):
        with_overrides(RunConfig(scale="smoke"), model="x")


def test_diff_drift_across_cpu_signatures_is_not_fatal_as_in_check(tmp_path: Path, capsys) -> None:
    root = Path(__file__).resolve().parents[2]
    card = json.loads((root / "shared/results/smoke.json").read_text())
    key = next(iter(card["summary"]))
    moved = json.loads(json.dumps(card))
    moved["summary"][key]["mean"] += 50.0
    for s in moved["per_seed"]:
        s["metrics"][key] += 50.0
    same, other = tmp_path / "same.json", tmp_path / "other.json"
    same.write_text(json.dumps(moved))
    moved["environment"]["cpu"] = "SomeOtherVendor AVX2"
    other.write_text(json.dumps(moved))
    a = tmp_path / "a.json"
    a.write_text(json.dumps(card))
    code, text = _run(capsys, "diff", str(a), str(same))
    assert code == 1 and "DRIFT" in text and "not fatal" not in text
    code, text = _run(capsys, "diff", str(a), str(other))
    assert code == 0 and "not fatal" in text and "SomeOtherVendor AVX2" in text
