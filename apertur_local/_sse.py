"""Server-Sent Events on the wire: framing, the streaming response, and the open-stream limit.

A stream answers ``200`` with ``Content-Type: text/event-stream`` and then writes, each in one
``http.response.body`` message (so one socket write):

* an event: ``id: <id>\\nevent: <name>\\ndata: <JSON on one line>\\n\\n``; the first is always
  ``connected`` with ``{"sessionId": …}``, whose id is the position the stream starts from (so a
  client that reconnects with it as ``Last-Event-ID`` loses nothing), then the replayed events,
  then live ones as the event log receives them;
* a heartbeat comment ``: heartbeat\\n\\n`` after ``heartbeat`` seconds without an event.

Memory per stream is bounded: the stream keeps only a cursor into the shared
:class:`~apertur_local._event_log.EventLog`, reads at most :data:`BATCH` events at a time, and
writes the next one only when the server's transport accepts it (uvicorn pauses ``send`` while
its write buffer is full), so a slow reader slows its own stream and nothing else. A client that
stops reading altogether is dropped once the server's writes have waited ``write_timeout``
seconds (the wire limits abort its connection), and its stream ends. A stream ends
when the client disconnects, when the log is reset (``/_local/reset``: the sessions are gone) or
closed (server shutdown); the response is then completed normally.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ._event_log import EventLog

__all__ = [
    "BATCH",
    "HEARTBEAT",
    "EventStreamResponse",
    "StreamLimit",
    "event_frame",
    "install_token_redaction",
]

HEARTBEAT = b": heartbeat\n\n"
"""The comment written on an idle stream (clients surface it; it keeps proxies from timing out)."""

BATCH = 100
"""At most this many events are read from the log per step of a stream."""

_HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),  # ask reverse proxies not to buffer the stream
]


def event_frame(event_id: str, name: str, data: Mapping[str, Any]) -> bytes:
    """One event as written on the wire (JSON is compact and on one line)."""
    payload = json.dumps(dict(data), separators=(",", ":"), allow_nan=False)
    return f"id: {event_id}\nevent: {name}\ndata: {payload}\n\n".encode()


class StreamLimit:
    """How many event streams may be open at once (an answer of 503 beyond)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open = 0

    def acquire(self) -> bool:
        """Count one more stream; False (nothing counted) when the limit is reached."""
        if self.open >= self.limit:
            return False
        self.open += 1
        return True

    def release(self) -> None:
        """A stream ended."""
        self.open = max(self.open - 1, 0)


class EventStreamResponse(Response):
    """The events of one session from ``cursor`` on, as a never-ending ``text/event-stream``.

    ``limit`` was acquired by the caller and is released when the stream ends.
    """

    def __init__(
        self,
        log: EventLog,
        session_id: str,
        cursor: int,
        *,
        heartbeat: float,
        limit: StreamLimit,
    ) -> None:
        self.status_code = 200
        self.background = None
        self.raw_headers = list(_HEADERS)
        self._log = log
        self._session_id = session_id
        self._cursor = cursor
        self._heartbeat = heartbeat
        self._limit = limit
        self._generation = log.generation

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            if scope.get("method") == "HEAD":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            writer = asyncio.ensure_future(self._write_events(send))
            gone = asyncio.ensure_future(_client_gone(receive))
            ended = False
            try:
                done, _ = await asyncio.wait({writer, gone}, return_when=asyncio.FIRST_COMPLETED)
                if writer in done:
                    writer.result()  # a failed write is a real error: let it propagate
                    ended = True
            finally:
                for task in (writer, gone):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            if ended:  # reset or shutdown: finish the response properly
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            self._limit.release()

    async def _write_events(self, send: Send) -> None:
        """Write ``connected``, then every event after the cursor, then heartbeats and live
        events, until the log is reset or closed."""
        log, cursor = self._log, self._cursor
        connected = {"sessionId": self._session_id}
        await _write(send, event_frame(log.event_id(cursor), "connected", connected))
        while not log.closed and log.generation == self._generation:
            batch = log.after(self._session_id, cursor, BATCH)
            for event in batch:
                await _write(send, event_frame(event.id, event.name, event.data))
                cursor = event.seq
            if batch:
                continue
            if not await log.wait(self._session_id, cursor, self._heartbeat):
                await _write(send, HEARTBEAT)


async def _write(send: Send, data: bytes) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": True})


async def _client_gone(receive: Receive) -> None:
    """Return once the client has disconnected."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


_TOKEN = re.compile(r"([?&]token=)[^&\s\"]*", re.IGNORECASE)


class _RedactTokens(logging.Filter):
    """Hide ``token=`` query values (API keys) in uvicorn's access log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(
            isinstance(arg, str) and "token=" in arg.lower() for arg in record.args
        ):
            record.args = tuple(
                _TOKEN.sub(r"\1[redacted]", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


_REDACT = _RedactTokens()


def install_token_redaction() -> None:
    """Make sure an API key given as ``?token=`` never reaches uvicorn's access log."""
    logger = logging.getLogger("uvicorn.access")
    if _REDACT not in logger.filters:
        logger.addFilter(_REDACT)
