"""Early answers and unread request bodies: drain a little, close beyond that.

Handlers answer many errors (401, 403, 404, 410, 413, ...) without reading the body, on purpose:
a 2 GiB upload to an expired session must not be received. When ``http.response.start`` goes out
while body bytes are still pending, this middleware

* reads and discards up to :data:`DRAIN_LIMIT` more bytes first: a small body (the usual case)
  ends there, the connection stays reusable and no unread bytes are left in the socket (closing a
  socket with unread input makes the kernel send a TCP reset, which can destroy the response before
  the client reads it);
* otherwise (a declared or streamed body beyond the limit, or a response that already says
  ``Connection: close``, such as a 408 for a stalled body) adds ``Connection: close``: uvicorn
  closes the socket after the response instead of reading gigabytes it would only discard, and
  clients that read early responses (httpx does) get the error at once.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DRAIN_LIMIT", "BodyGuardMiddleware"]

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


class BodyGuardMiddleware:
    """Pure ASGI middleware applying the policy of the module docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

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
            """Discard the rest of a small body; True when it ended within the limit."""
            if declared is not None and declared > DRAIN_LIMIT:
                return False
            drained = 0
            while not complete and drained <= DRAIN_LIMIT:
                message = await watched_receive()
                drained += len(message.get("body", b""))
            return complete

        async def guarded_send(message: Message) -> None:
            if (
                message["type"] == "http.response.start"
                and not complete
                and (_closes(message) or not await drain())
            ):
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"
                ]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, watched_receive, guarded_send)
