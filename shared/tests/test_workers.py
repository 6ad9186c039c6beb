"""Seed workers never outlive their run: not when the block raises, not when the parent is killed."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from advfrontier.shared.workers import worker_pool


def _sleep_and_report(path: str) -> None:
    Path(path).write_text(str(os.getpid()))
    time.sleep(120)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # the process may be reaped between the kill and the read
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _wait_for(path: Path, timeout: float = 60.0) -> int:
    t0 = time.time()
    while not (path.exists() and path.read_text()):
        if time.time() - t0 > timeout:
            raise TimeoutError(path)
        time.sleep(0.2)
    return int(path.read_text())


def _gone_within(pid: int, seconds: float) -> bool:
    t0 = time.time()
    while _alive(pid) and time.time() - t0 < seconds:
        time.sleep(0.2)
    return not _alive(pid)


def test_workers_are_terminated_when_the_block_raises(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    t0 = time.time()
    with pytest.raises(KeyboardInterrupt), worker_pool(1) as pool:
        pool.submit(_sleep_and_report, str(marker))
        pid = _wait_for(marker)
        raise KeyboardInterrupt
    assert time.time() - t0 < 60  # did not wait for the 120 s task
    assert _gone_within(pid, 10)


def _parent_death_signal() -> int:
    import ctypes

    sig = ctypes.c_int(0)
    ctypes.CDLL(None, use_errno=True).prctl(2, ctypes.byref(sig))  # PR_GET_PDEATHSIG
    return sig.value


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_are_tied_to_their_parent() -> None:
    """The kernel sends SIGTERM to a worker when the run's process dies, even by SIGKILL."""
    with worker_pool(1) as pool:
        assert pool.submit(_parent_death_signal).result() == signal.SIGTERM
