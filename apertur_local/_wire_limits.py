"""Limits on what a client may send and for how long: the request head, the body, connections.

uvicorn alone buffers a request head of any size (a 200 MiB header value was read and answered),
waits for it forever, and waits forever for a body that never comes. Here:

* :func:`uvicorn_limits` gives the ``uvicorn.Config`` arguments of a local server: an HTTP
  protocol (httptools when installed, else h11, as uvicorn's ``auto`` does) that counts the bytes
  of each request head as they arrive and answers **414** for a request line over
  ``LocalConfig.max_request_line``, **431** for a head over ``max_header_bytes``, and **408**
  when the head is not complete within ``header_timeout`` (a new connection that sends nothing is
  closed then); ``limit_concurrency`` (**503** beyond ``max_concurrency``) and the keep-alive
  timeout. These answers close the connection.
* the same protocol drops (aborts) a connection whose response has waited ``write_timeout``
  seconds for a client that stopped reading (the transport's buffer stayed full): a download or
  an event stream nobody reads no longer holds its connection and buffers until TCP gives up.
* :class:`BodyTimeoutMiddleware` answers **408** (and closes) when a request body stalls for
  ``body_timeout`` seconds while the handler waits for it: a ``Content-Length`` larger than what
  is sent no longer holds a request open.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from typing import Any, cast

import attrs
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._config import LocalConfig
from ._errors import ApiError

__all__ = [
    "BodyReadTimeout",
    "BodyTimeoutMiddleware",
    "WireLimits",
    "limited_protocol",
    "uvicorn_limits",
]

_REASONS = {408: "Request Timeout", 414: "URI Too Long", 431: "Request Header Fields Too Large"}
_CODES = {408: "REQUEST_TIMEOUT", 414: "URI_TOO_LONG", 431: "REQUEST_HEADER_FIELDS_TOO_LARGE"}
_MESSAGES = {
    408: "The request head was not received in time",
    414: "The request line is too long",
    431: "The request head (request line and headers) is too large",
}


class BodyReadTimeout(ApiError):
    """The client paused longer than the body timeout while sending a body (408, then close)."""

    def __init__(self, timeout: float) -> None:
        super().__init__(
            408,
            f"The request body stalled for more than {timeout:g} s",
            "REQUEST_TIMEOUT",
            headers={"Connection": "close"},
        )


class BodyTimeoutMiddleware:
    """Pure ASGI middleware: a ``receive`` that waits at most ``timeout`` for body bytes.

    Only while the body is incomplete: once it ended, ``receive`` waits for a disconnect as long
    as the handler likes (held long polls rely on that).
    """

    def __init__(self, app: ASGIApp, timeout: float) -> None:
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_done = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:
                return await receive()
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for returns a message that
            # arrives in the same turn as a cancellation and drops the cancellation, and a
            # handler that stopped listening for the client would then wait forever.
            try:
                async with asyncio.timeout(self.timeout):
                    message = await receive()
            except TimeoutError:
                raise BodyReadTimeout(self.timeout) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        await self.app(scope, timed_receive, send)


@attrs.frozen
class WireLimits:
    """How large and how slow a request head may be, and how long a response may wait for a
    client that stopped reading it."""

    max_request_line: int
    max_header_bytes: int
    header_timeout: float
    write_timeout: float


def _answer(status: int) -> bytes:
    body = json.dumps({"message": _MESSAGES[status], "code": _CODES[status]}).encode("ascii")
    head = (
        f"HTTP/1.1 {status} {_REASONS[status]}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class _WireLimitsMixin:
    """Counts request-head bytes before the parser sees them (see the module docstring).

    A head is counted from its first byte (blank lines before a request, which HTTP allows, are
    skipped) to the blank line ending it; a new one is expected once the previous request was
    read whole. The protocol subclasses below say when that is. At most one read of a pipelined
    head (a read that also held the end of the previous request) goes uncounted: bounded by the
    read size, and h11 caps its own buffer too.
    """

    limits: WireLimits
    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    cycle: Any

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._limit_answered = False
        self._head_timer: asyncio.TimerHandle | None = None
        self._stall_timer: asyncio.TimerHandle | None = None
        self._start_head()

    def pause_writing(self) -> None:
        """The transport's buffer is full (the client is not reading): start the stall clock."""
        super().pause_writing()  # type: ignore[misc]
        if self._stall_timer is None:
            self._stall_timer = self.loop.call_later(self.limits.write_timeout, self._write_stalled)

    def resume_writing(self) -> None:
        super().resume_writing()  # type: ignore[misc]
        self._cancel_stall_timer()

    def _cancel_stall_timer(self) -> None:
        if self._stall_timer is not None:
            self._stall_timer.cancel()
            self._stall_timer = None

    def _write_stalled(self) -> None:
        """Nothing was read for ``write_timeout``: drop the connection at once. ``close()``
        would wait for the unread bytes to be flushed, for as long as the client lets them sit;
        ``abort()`` discards them, and the response in progress sees the client gone."""
        self._stall_timer = None
        self.transport.abort()

    def _idle(self) -> bool:
        return self.cycle is None or bool(self.cycle.response_complete)

    def _start_head(self) -> None:
        self._in_head = True
        self._head_started = False
        self._head_bytes = 0
        self._line_done = False
        self._tail = b""
        self._cancel_head_timer()
        if self._idle():  # a connection with nothing in progress must not stay silent for ever
            self._arm_head_timer()

    def _end_head(self) -> None:
        self._in_head = False
        self._cancel_head_timer()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.limits.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def data_received(self, data: bytes) -> None:
        if self._limit_answered:
            return
        if self._in_head:
            verdict = self._count_head(data)
            if verdict is not None:
                self._refuse(verdict)
                return
        super().data_received(data)  # type: ignore[misc]

    def _count_head(self, data: bytes) -> int | None:
        if not self._head_started:
            data = data.lstrip(b"\r\n")
            if not data:
                return None
            self._head_started = True
            self._arm_head_timer()  # the head must now be complete within header_timeout
        window = self._tail + data
        offset = len(self._tail)
        if not self._line_done:
            line_end = window.find(b"\r\n")
            line = self._head_bytes + (line_end - offset if line_end >= 0 else len(data))
            if line > self.limits.max_request_line:
                return 414
            self._line_done = line_end >= 0
        end = window.find(b"\r\n\r\n")
        if end >= 0:
            if self._head_bytes + (end - offset) + 4 > self.limits.max_header_bytes:
                return 431
            self._end_head()
            return None
        self._head_bytes += len(data)
        self._tail = window[-3:]
        return 431 if self._head_bytes > self.limits.max_header_bytes else None

    def _refuse(self, status: int) -> None:
        self._limit_answered = True
        self._cancel_head_timer()
        if self.transport.is_closing():
            return
        if self._idle():  # never inside another response
            self.transport.write(_answer(status))
        self.transport.close()

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._limit_answered or self.transport.is_closing() or not self._in_head:
            return
        if self.transport.get_protocol() is not cast(Any, self):  # upgraded to a WebSocket
            return
        if self._head_started:
            self._refuse(408)
        elif self._idle():
            self._limit_answered = True
            self.transport.close()  # a connection that never said anything

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        self._cancel_stall_timer()
        super().connection_lost(exc)  # type: ignore[misc]


def limited_protocol(limits: WireLimits, implementation: str = "auto") -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol (``"h11"``, ``"httptools"`` or ``"auto"``) with the head limits."""
    use_httptools = implementation == "httptools" or (
        implementation == "auto" and importlib.util.find_spec("httptools") is not None
    )
    if use_httptools:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        class LimitedHttpToolsProtocol(_WireLimitsMixin, HttpToolsProtocol):  # type: ignore[misc]
            def on_headers_complete(self) -> None:
                self._end_head()
                super().on_headers_complete()

            def on_message_complete(self) -> None:
                super().on_message_complete()
                self._start_head()  # the request was read whole: the next bytes are a new head

        LimitedHttpToolsProtocol.limits = limits
        return LimitedHttpToolsProtocol
    if implementation not in ("auto", "h11"):
        raise ValueError(f"unknown HTTP implementation {implementation!r}")
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class LimitedH11Protocol(_WireLimitsMixin, H11Protocol):  # type: ignore[misc]
        def data_received(self, data: bytes) -> None:
            cycle = self.cycle
            super().data_received(data)
            if self.cycle is not cycle:  # h11 parsed a request head
                self._end_head()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.conn.their_state is h11.IDLE and self._idle() and not self._in_head:
                self._start_head()

    LimitedH11Protocol.limits = limits
    return LimitedH11Protocol


def uvicorn_limits(config: LocalConfig) -> dict[str, Any]:
    """The ``uvicorn.Config`` keyword arguments that apply ``config``'s wire limits."""
    limits = WireLimits(
        config.max_request_line,
        config.max_header_bytes,
        config.header_timeout,
        config.write_timeout,
    )
    return {
        "http": limited_protocol(limits, config.http),
        "limit_concurrency": config.max_concurrency,
        "timeout_keep_alive": config.keep_alive_timeout,
        # h11 caps its own buffer too; just above ours, so that ours answers first (431)
        "h11_max_incomplete_event_size": config.max_header_bytes + 1024,
    }
