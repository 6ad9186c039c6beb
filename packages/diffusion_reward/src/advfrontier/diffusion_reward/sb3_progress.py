"""Progress lines for stable-baselines3 training (SB3's own bar needs tqdm/rich and a terminal)."""

from __future__ import annotations

from stable_baselines3.common.callbacks import BaseCallback

from advfrontier.shared.progress import Progress


class ProgressLines(BaseCallback):
    """The shared ``[desc] step k/N · elapsed · ETA`` line every ``every`` environment steps, and at the
    end of training."""

    def __init__(self, total: int, desc: str, every: int = 1000) -> None:
        super().__init__()
        self.total, self.desc, self.every = total, desc, max(1, every)
        self.progress: Progress | None = None
        self._reported = 0

    def _on_training_start(self) -> None:
        self.progress = Progress(self.total, self.desc, "step")
        self._reported = 0

    def _report(self) -> None:
        assert self.progress is not None
        done = min(self.num_timesteps, self.total)
        if done > self._reported:
            self.progress.step(done - self._reported)
            self._reported = done

    def _on_step(self) -> bool:
        if self.num_timesteps - self._reported >= self.every:
            self._report()
        return True

    def _on_training_end(self) -> None:
        self._report()
