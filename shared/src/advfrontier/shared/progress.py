"""Progress that a person waiting sees, in a terminal and in a log: one line per step of a long loop.

``Progress(total, desc)`` prints ``[desc] k/total (unit) · elapsed 1m02s · ETA 3m10s`` on stderr at
each ``step()`` (at most once per ``every`` seconds, and always on the last step), flushed, whether or
not stderr is a terminal, so CI logs and ``nohup`` files show it too.
"""

from __future__ import annotations

import sys
import time


def fmt_seconds(s: float) -> str:
    s = max(0.0, s)
    if s < 60:
        return f"{s:.0f}s"
    if s < 3600:
        return f"{int(s // 60)}m{int(s % 60):02d}s"
    return f"{int(s // 3600)}h{int(s % 3600 // 60):02d}m"


class Progress:
    def __init__(
        self,
        total: int,
        desc: str,
        unit: str = "epoch",
        start: int = 0,
        every: float = 0.0,
        enabled: bool = True,
    ) -> None:
        self.total, self.desc, self.unit, self.done = total, desc, unit, start
        self.every, self.enabled = every, enabled
        self.t0 = time.perf_counter()
        self.start = start
        self._last = -1e9
        if enabled and start > 0:
            self.say(f"resuming from {unit} {start} of {total}")

    def say(self, text: str) -> None:
        if self.enabled:
            print(f"[{self.desc}] {text}", file=sys.stderr, flush=True)

    def step(self, n: int = 1, note: str = "") -> None:
        self.done += n
        now = time.perf_counter()
        if not self.enabled or (now - self._last < self.every and self.done < self.total):
            return
        self._last = now
        elapsed = now - self.t0
        rate = (self.done - self.start) / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        eta_s = fmt_seconds(eta) if eta == eta else "?"
        extra = f" · {note}" if note else ""
        self.say(
            f"{self.unit} {self.done}/{self.total}{extra} · elapsed {fmt_seconds(elapsed)} · ETA {eta_s}"
        )
