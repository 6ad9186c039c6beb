"""Worker processes that never outlive the run that started them.

A seed (or paper) running in a ``ProcessPoolExecutor`` worker keeps training when its parent is killed
(``kill``/``pkill`` send SIGTERM to the parent only; Ctrl-C reaches the whole process group): an orphan
burns the CPU for tens of minutes and may write a checkpoint the next run resumes. :func:`worker_pool`
ties each worker to its parent (Linux ``PR_SET_PDEATHSIG``) and terminates the workers when the block is
left by an exception (KeyboardInterrupt included) instead of waiting for their tasks to finish.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a worker: receive SIGTERM when the parent process dies (Linux; a no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@contextmanager
def worker_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A spawn-context process pool whose workers end with the run, on success or on any exception."""
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=mp.get_context("spawn"), initializer=die_with_parent
    )
    try:
        yield pool
    except BaseException:
        # shutdown(wait=True) would wait for the running tasks (whole seeds): end the workers now
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def terminate_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt in the main process, so a killed run cleans up as on Ctrl-C."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
