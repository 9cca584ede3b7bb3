"""SIGTERM as Ctrl-C, for the commands that run until stopped (``listen``, ``local serve``)."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

__all__ = ["sigterm_as_ctrl_c"]


@contextlib.contextmanager
def sigterm_as_ctrl_c() -> Iterator[None]:
    """Within the block, SIGTERM (a service manager, ``kill``) raises ``KeyboardInterrupt`` as
    Ctrl-C does, so the command ends cleanly; outside the main thread signals are left alone."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
