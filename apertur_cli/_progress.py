"""Transfer progress: a Rich progress bar (files, bytes, rate) on stderr.

The bar is left out under ``--json``, keeping stdout parseable.
"""

from __future__ import annotations

import threading

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.text import Text

__all__ = ["TransferProgress"]


class _UnlessIdle(ProgressColumn):
    """Shows ``column`` only once there is something to transfer (the task is not idle)."""

    def __init__(self, column: ProgressColumn) -> None:
        super().__init__()
        self._column = column

    def render(self, task: Task) -> RenderableType:
        return Text("") if task.fields.get("idle") else self._column.render(task)


class TransferProgress:
    """One bar on stderr, thread-safe: ``upload 3/10 files ━━━ 1.2/4.0 MB 5.1 MB/s 0:00:02``.

    Until there is something to transfer, only ``idle_text`` is shown (``poll`` looking at the
    queue, ``poll --follow`` waiting for images), not an empty bar; once every known file is
    done, ``waiting_text`` is appended (``poll --follow`` waiting for more). ``enabled=False``
    (``--json``, ``-q``) makes every method a no-op.
    """

    def __init__(
        self,
        verb: str,
        files: int,
        total_bytes: int | None,
        *,
        enabled: bool,
        idle_text: str | None = None,
        waiting_text: str | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._verb = verb
        self._idle_text = idle_text
        self._waiting_text = waiting_text
        self._done = 0
        self._files = files
        self._progress: Progress | None = None
        if not enabled:
            return
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            *(
                _UnlessIdle(column)
                for column in (
                    BarColumn(),
                    DownloadColumn(),
                    TransferSpeedColumn(),
                    TimeElapsedColumn(),
                )
            ),
            console=Console(stderr=True, highlight=False),
        )
        self._task = self._progress.add_task(
            self._description(), total=total_bytes, idle=self._idle()
        )

    def _idle(self) -> bool:
        return self._files == 0

    def _description(self) -> str:
        if self._files == 0 and self._idle_text:
            return self._idle_text
        text = f"{self._verb} {self._done}/{self._files} files"
        if self._waiting_text and self._done == self._files:
            text += f", {self._waiting_text}"
        return text

    def __enter__(self) -> TransferProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self._progress is not None:
            if exc_type is not None or self._done == 0:
                # An error line, or the summary of a run that moved nothing, says it all.
                self._progress.live.transient = True
            self._waiting_text = None  # the last frame stays: no "waiting" once stopped
            self._progress.update(self._task, description=self._description())
            self._progress.stop()

    def advance_bytes(self, amount: int) -> None:
        """Count ``amount`` more bytes moved."""
        if self._progress is not None:
            with self._lock:
                self._progress.advance(self._task, amount)

    def file_done(self) -> None:
        """Count one more file finished (stored, saved, or failed)."""
        with self._lock:
            self._done += 1
            if self._progress is not None:
                self._progress.update(
                    self._task, description=self._description(), idle=self._idle()
                )

    def add_totals(self, files: int, total_bytes: int) -> None:
        """Grow the totals (the poll queue reveals more files as it goes)."""
        with self._lock:
            self._files += files
            if self._progress is not None:
                total = (self._progress.tasks[0].total or 0) + total_bytes
                self._progress.update(
                    self._task, total=total, description=self._description(), idle=self._idle()
                )

    def note(self, message: Text) -> None:
        """Print a line above the bar (nothing when the bar is off); text, never markup."""
        if self._progress is not None:
            self._progress.console.print(message, soft_wrap=True)  # one line per note
