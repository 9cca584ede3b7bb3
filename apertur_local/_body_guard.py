"""Close the connection when answering before the request body was fully read.

Handlers answer many errors (401, 403, 404, 410, 413, ...) without reading the body, on purpose:
a 2 GiB upload to an expired session must not be received. But on a keep-alive connection uvicorn
would then read and discard the whole rest of the body before the next request. This middleware
watches ``receive`` and, when ``http.response.start`` goes out while body bytes are still pending,
adds ``Connection: close``: uvicorn closes the socket after the response and the client (httpx
reads an early response even when its upload is cut) sees the error at once.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyGuardMiddleware"]


def _has_body(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"transfer-encoding":
            return True
        if name == b"content-length":
            return value.strip() not in (b"0", b"")
    return False


class BodyGuardMiddleware:
    """Pure ASGI middleware adding ``Connection: close`` to early answers (see module doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        complete = False

        async def watched_receive() -> Message:
            nonlocal complete
            message = await receive()
            if message["type"] == "http.disconnect" or not message.get("more_body", False):
                complete = True
            return message

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start" and not complete:
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"
                ]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, watched_receive, guarded_send)
