"""The deadline of the call whose bytes are on the wire, for the sockets that carry them.

:class:`~.transport.RetryTransport` sets :data:`CALL_DEADLINE` around the sending of a call (its
attempts: connection, request, status line and headers) and :mod:`.body` around each read of its
response body; the network backends of :mod:`.sockets` read it on every socket operation and
wait at most :func:`time_left`. httpcore does HTTP/1.1 I/O in the thread or task that sends or
reads, so the variable reaches it, and no other call sees it. Unset (None): nothing is cut.
This module is light: httpcore is imported only by :mod:`.sockets`, when a transport is built.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

__all__ = ["CALL_DEADLINE", "Held", "time_left"]

Held = tuple[float, Callable[[], float]]
"""A deadline and the clock it is read on (``time.monotonic`` unless a test injects one)."""

CALL_DEADLINE: ContextVar[Held | None] = ContextVar("apertur_call_deadline", default=None)


def time_left(
    timeout: float | None, error: Callable[[str], Exception], message: str
) -> float | None:
    """``timeout`` cut to what is left of the call's deadline: ``timeout`` itself (the same
    object) when no deadline is set or it ends first; ``error(message)`` raised when nothing is
    left."""
    held = CALL_DEADLINE.get()
    if held is None:
        return timeout
    deadline, clock = held
    left = deadline - clock()
    if left <= 0:
        raise error(message)
    return left if timeout is None or timeout > left else timeout
