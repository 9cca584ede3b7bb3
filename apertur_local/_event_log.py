"""The real-time event log: ordered, id-numbered and time-bounded (no HTTP).

Every real-time event (``image:ready``, ``image:delivering``, ``image:delivered``,
``image:failed``, ``session:completed``) is appended here once, in the order it happened; the
Socket.IO channel and every Server-Sent Events stream read it from there, so both transports see
the same events in the same order.

* **Ids.** Each event gets the next sequence number of the log (one counter for all sessions, never
  reused while the server runs, not even after a reset). Its public id is ``"<epoch>-<seq>"``:
  ``epoch`` is a random token drawn when the log is made, so an id handed out by an earlier run of
  the server is recognised as foreign (see :meth:`EventLog.cursor_after`).
* **Retention.** Events older than ``retention`` seconds (by the server clock, so tests can move
  time forward) and the oldest beyond ``max_events`` are dropped: memory stays bounded whatever
  the traffic.
* **Waiting.** Readers keep an integer cursor (the sequence number of the last event they have)
  and block in :meth:`EventLog.wait` until an event after it is appended, the log is reset or
  closed, or a timeout passes. The log keeps no per-reader state.
"""

from __future__ import annotations

import asyncio
import bisect
import secrets
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import attrs

__all__ = ["DEFAULT_MAX_EVENTS", "DEFAULT_RETENTION", "EventLog", "LoggedEvent"]

DEFAULT_RETENTION = 300.0
"""Seconds an event stays available for replay (five minutes, as the API documents)."""

DEFAULT_MAX_EVENTS = 20_000
"""At most this many events are kept (all sessions together); the oldest go first."""


@attrs.frozen
class LoggedEvent:
    """One event of the log: ``id`` is what clients see and send back as ``Last-Event-ID``."""

    id: str
    seq: int
    session_id: str
    name: str
    data: Mapping[str, Any]
    at: float


class EventLog:
    """The events of every session, oldest first. Use from the server's event loop only."""

    def __init__(
        self,
        now: Callable[[], float],
        *,
        retention: float = DEFAULT_RETENTION,
        max_events: int = DEFAULT_MAX_EVENTS,
    ) -> None:
        if retention <= 0 or max_events < 1:
            raise ValueError("the event log needs a positive retention and room for one event")
        self._now = now
        self.retention = retention
        self.max_events = max_events
        self.epoch = secrets.token_hex(4)
        self._seq = 0
        self._events: deque[LoggedEvent] = deque()
        self._by_session: dict[str, deque[LoggedEvent]] = {}
        self._waiters: dict[str | None, asyncio.Event] = {}
        self.generation = 0
        """Bumped by :meth:`reset`: readers started before it stop (their sessions are gone)."""
        self.closed = False

    @property
    def head(self) -> int:
        """The sequence number of the last event appended (0 before the first)."""
        return self._seq

    def event_id(self, seq: int) -> str:
        """The public id of sequence number ``seq``."""
        return f"{self.epoch}-{seq}"

    def append(self, session_id: str, name: str, data: Mapping[str, Any]) -> LoggedEvent:
        """Record ``name`` with ``data`` for ``session_id`` and wake the readers waiting on it."""
        self._seq += 1
        event = LoggedEvent(
            self.event_id(self._seq), self._seq, session_id, name, dict(data), self._now()
        )
        self._events.append(event)
        self._by_session.setdefault(session_id, deque()).append(event)
        self._prune()
        self._wake(session_id)
        self._wake(None)
        return event

    def cursor_after(self, last_event_id: str | None) -> int:
        """Where a reader resumes: after ``last_event_id``, or at the head when there is none.

        An id this log did not hand out (another run of the server, a malformed value, a number
        ahead of the head) gives 0: everything still retained is replayed, since the reader's
        position cannot be known. An id whose event has expired resumes after it, which replays
        every retained event that followed it.
        """
        if last_event_id is None:
            return self._seq
        epoch, _, number = last_event_id.strip().partition("-")
        if epoch != self.epoch or not number.isdigit() or len(number) > 18:
            return 0
        seq = int(number)
        return seq if seq <= self._seq else 0

    def after(self, session_id: str, cursor: int, limit: int) -> list[LoggedEvent]:
        """Up to ``limit`` retained events of ``session_id`` with a sequence number > ``cursor``."""
        self._prune()
        return _after(self._by_session.get(session_id), cursor, limit)

    def all_after(self, cursor: int, limit: int) -> list[LoggedEvent]:
        """Up to ``limit`` retained events of every session with a sequence number > ``cursor``."""
        self._prune()
        return _after(self._events, cursor, limit)

    async def wait(
        self,
        session_id: str | None,
        cursor: int,
        timeout: float | None,  # noqa: ASYNC109 - a wait bound, not a cancellation scope
    ) -> bool:
        """Block until an event after ``cursor`` exists for ``session_id`` (``None``: any
        session), the log is reset or closed, or ``timeout`` seconds pass; False on timeout."""
        if self.closed:
            return True
        latest = self._events if session_id is None else self._by_session.get(session_id)
        if latest and latest[-1].seq > cursor:
            return True
        event = self._waiters.setdefault(session_id, asyncio.Event())
        try:
            # asyncio.timeout, not wait_for: a cancellation (the client left) arriving with an
            # event must not be dropped, or the stream's writer would outlive its client.
            async with asyncio.timeout(timeout):
                await event.wait()
        except TimeoutError:
            return False
        return True

    def reset(self) -> None:
        """Forget every event (the sessions are gone) and stop current readers; the sequence
        keeps counting, so no id is ever handed out twice."""
        self._events.clear()
        self._by_session.clear()
        self.generation += 1
        self._wake_all()

    def close(self) -> None:
        """Stop every reader for good (server shutdown)."""
        self.closed = True
        self._wake_all()

    def __len__(self) -> int:
        return len(self._events)

    def _prune(self) -> None:
        oldest_kept = self._now() - self.retention
        events = self._events
        while events and (len(events) > self.max_events or events[0].at < oldest_kept):
            gone = events.popleft()
            per_session = self._by_session[gone.session_id]
            per_session.popleft()  # the same event: both deques are in append order
            if not per_session:
                del self._by_session[gone.session_id]

    def _wake(self, key: str | None) -> None:
        event = self._waiters.pop(key, None)
        if event is not None:
            event.set()

    def _wake_all(self) -> None:
        waiters, self._waiters = self._waiters, {}
        for event in waiters.values():
            event.set()


def _after(events: deque[LoggedEvent] | None, cursor: int, limit: int) -> list[LoggedEvent]:
    if not events or events[-1].seq <= cursor:
        return []
    start = bisect.bisect_right(events, cursor, key=_seq_of)  # sequence numbers only grow
    return [events[index] for index in range(start, min(start + limit, len(events)))]


def _seq_of(event: LoggedEvent) -> int:
    return event.seq
