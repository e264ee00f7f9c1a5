"""A progress bar for ``scr batch`` on stderr: records done, records per second, time left."""

from __future__ import annotations

import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

REFRESH_SECONDS = 0.1


class ProgressBar:
    """Draw progress by input position (bytes or files), refreshed at most ten times a second.

    Refreshed by hand, not by rich's timer thread: the batch forks worker processes, and
    forking a process with extra threads is unsafe.
    """

    def __init__(self, total: int | None, stderr: TextIO) -> None:
        self._progress = Progress(
            TextColumn("[bold]deciding"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[records]:>12,} records"),
            TextColumn("{task.fields[rate]:>9,.0f}/s"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=Console(file=stderr),
            auto_refresh=False,
            transient=False,
        )
        self._task = self._progress.add_task("batch", total=total, records=0, rate=0.0)
        self._started = self._shown = time.monotonic()
        self._progress.start()

    def __call__(self, records: int, position: int, final: bool = False) -> None:
        """Show ``records`` decided up to input ``position``; ``final`` ends the bar."""
        now = time.monotonic()
        if not final and now - self._shown < REFRESH_SECONDS:
            return
        rate = records / max(now - self._started, 1e-9)
        self._progress.update(self._task, completed=position, records=records, rate=rate)
        self._progress.refresh()
        self._shown = now
        if final:
            self._progress.stop()
