"""Progress of a long import: a bar on a terminal, and counts on the ImportRun row."""

import time
from pathlib import Path

from tqdm import tqdm

SAVE_EVERY_SECONDS = 2.0


class ProgressReporter:
    def __init__(self, path: Path, *, run=None, stream=None, enabled: bool = True):
        self.run = run
        self.saved_at = 0.0
        self.bar = (
            tqdm(
                total=path.stat().st_size,
                unit="B",
                unit_scale=True,
                file=stream,
                desc=path.name,
                dynamic_ncols=True,
            )
            if enabled
            else None
        )
        self.started = time.monotonic()

    def update(self, report, position: int) -> None:
        if self.bar is not None:
            self.bar.update(position - self.bar.n)
            elapsed = max(time.monotonic() - self.started, 1e-6)
            self.bar.set_postfix(items=report.items, per_s=f"{report.items / elapsed:.0f}")
        now = time.monotonic()
        if self.run is not None and now - self.saved_at >= SAVE_EVERY_SECONDS:
            self.saved_at = now
            self.run.items_done = report.items
            self.run.counts = report.summary()
            self.run.save(update_fields=["items_done", "counts"])

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
