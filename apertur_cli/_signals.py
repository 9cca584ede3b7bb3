"""SIGTERM as Ctrl-C, for the commands that run until stopped (``listen``, ``local serve``)."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from typing import Any

__all__ = ["StopSignals", "sigterm_as_ctrl_c"]


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


class StopSignals:
    """SIGTERM and Ctrl-C for a loop that mostly waits: a signal that arrives while the loop
    waits (within :meth:`waiting`) only sets :attr:`requested`, and the loop ends at its next
    check; one that arrives while it works (a forward in flight) raises ``KeyboardInterrupt``,
    so slow work is cut short. An exception raised inside a wait would surface in the middle of
    the lock code of a queue, where it can leave the lock in a state the exit then trips on.

    Use as a context manager around the loop (the previous handlers come back after it); in a
    thread other than the main one, signals are left alone."""

    def __init__(self) -> None:
        self.requested = False
        self._waiting = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        with contextlib.suppress(ValueError):  # not the main thread
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for signum, previous in self._previous.items():
            restored: Any = signal.SIG_DFL if previous is None else previous  # None: set in C
            signal.signal(signum, restored)
        self._previous.clear()

    def _handle(self, _signum: int, _frame: object) -> None:
        if self._waiting and not self.requested:
            self.requested = True
            return
        raise KeyboardInterrupt  # a second signal, or work in progress

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        """The block only waits: a signal within it sets :attr:`requested` instead of raising."""
        self._waiting = True
        try:
            yield
        finally:
            self._waiting = False
