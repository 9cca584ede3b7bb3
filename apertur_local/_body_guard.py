"""Early answers and unread request bodies: drain a little, close beyond that.

Handlers answer many errors (401, 403, 404, 410, 413, ...) without reading the body, on purpose:
a 2 GiB upload to an expired session must not be received. When ``http.response.start`` goes out
while body bytes are still pending, this middleware

* reads and discards up to :data:`DRAIN_LIMIT` more bytes first, each read waiting at most the
  body timeout: a small body (the usual case) ends there, the connection stays reusable and no
  unread bytes are left in the socket (closing a socket with unread input makes the kernel send a
  TCP reset, which can destroy the response before the client reads it);
* otherwise (a declared or streamed body beyond the limit, a body that stalls, or a response that
  already says ``Connection: close``, such as a 408 for a stalled body) adds ``Connection:
  close``: uvicorn closes the socket after the response instead of reading gigabytes it would
  only discard, or waiting for bytes that never come, and clients that read early responses
  (httpx does) get the error at once.

Middlewares that answer before the app runs (a refused host, an injected fault, the rate limit)
use :func:`answer_early`, the same policy for a body nobody has read yet.
"""

from __future__ import annotations

import asyncio

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DRAIN_LIMIT", "BodyGuardMiddleware", "answer_early", "discard_body"]

DRAIN_LIMIT = 4 * 1024 * 1024
"""At most this many unread body bytes are received and discarded before an early answer."""


def _declared_length(scope: Scope) -> int | None:
    """``Content-Length`` (0 when there is no body at all), ``None`` when chunked/unknown."""
    length = 0
    for name, value in scope.get("headers", []):
        if name == b"transfer-encoding":
            return None
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return None
    return length


def _closes(message: Message) -> bool:
    """Whether the response already says ``Connection: close`` (then nothing is drained: the
    handler gave up on the body, e.g. because it stalled)."""
    return any(
        k.lower() == b"connection" and v.lower() == b"close" for k, v in message.get("headers", [])
    )


def _with_close(message: Message) -> Message:
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
    return {**message, "headers": [*headers, (b"connection", b"close")]}


async def discard_body(receive: Receive, body_timeout: float, limit: int = DRAIN_LIMIT) -> bool:
    """Read and discard the rest of a request body: True once it ended (or the client left),
    False when more than ``limit`` bytes came or a read waited ``body_timeout`` seconds."""
    drained = 0
    while drained <= limit:
        try:
            async with asyncio.timeout(body_timeout):
                message = await receive()
        except TimeoutError:
            return False
        if message["type"] != "http.request" or not message.get("more_body", False):
            return True
        drained += len(message.get("body", b""))
    return False


async def answer_early(
    response: Response, scope: Scope, receive: Receive, send: Send, body_timeout: float
) -> None:
    """Send ``response`` to a request whose body nobody read: a small body, declared or
    chunked, is discarded first (the connection stays usable); a body declared larger than
    :data:`DRAIN_LIMIT`, or one that passes it or stalls while being discarded, is read no
    further, and the answer says ``Connection: close``."""
    declared = _declared_length(scope)
    ended = declared == 0 or (
        (declared is None or declared <= DRAIN_LIMIT) and await discard_body(receive, body_timeout)
    )

    async def closing_send(message: Message) -> None:
        if message["type"] == "http.response.start" and not ended:
            message = _with_close(message)
        await send(message)

    await response(scope, receive, closing_send)


class BodyGuardMiddleware:
    """Pure ASGI middleware applying the policy of the module docstring; ``timeout`` is the
    longest wait for one piece of the body being drained (the server's body timeout)."""

    def __init__(self, app: ASGIApp, timeout: float) -> None:
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = _declared_length(scope) if scope["type"] == "http" else 0
        if declared == 0:
            await self.app(scope, receive, send)
            return
        complete = False

        async def watched_receive() -> Message:
            nonlocal complete
            message = await receive()
            if message["type"] == "http.disconnect" or not message.get("more_body", False):
                complete = True
            return message

        async def drain() -> bool:
            """Discard the rest of a small body; True when it ended within the limits."""
            if declared is not None and declared > DRAIN_LIMIT:
                return False
            return await discard_body(watched_receive, self.timeout)

        async def guarded_send(message: Message) -> None:
            if (
                message["type"] == "http.response.start"
                and not complete
                and (_closes(message) or not await drain())
            ):
                message = _with_close(message)
            await send(message)

        await self.app(scope, watched_receive, guarded_send)
