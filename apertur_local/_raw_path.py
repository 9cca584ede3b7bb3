"""Route on the path as sent: an encoded slash (``%2F``) inside an id stays inside that id.

ASGI servers put the percent-decoded path in ``scope["path"]``, so ``/upload/a%2Fb/session``
would reach the router as ``/upload/a/b/session`` — another endpoint's shape. This middleware
decodes every escape except ``%2F``, which it keeps literally: the id ``a%2Fb`` then reaches its
own endpoint, which answers that no such resource exists, as the real API would.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["RawPathRouting", "path_keeping_encoded_slashes"]

_ENCODED_SLASH = re.compile(rb"%2f", re.IGNORECASE)


def path_keeping_encoded_slashes(raw_path: bytes) -> str:
    """``raw_path`` percent-decoded, except that each ``%2F`` stays ``%2F``."""
    return "%2F".join(unquote(part.decode("latin-1")) for part in _ENCODED_SLASH.split(raw_path))


class RawPathRouting:
    """ASGI middleware rewriting ``scope["path"]`` only when the raw path holds a ``%2F``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path") if scope["type"] == "http" else None
        if raw and _ENCODED_SLASH.search(raw):
            scope = {**scope, "path": path_keeping_encoded_slashes(raw.split(b"?", 1)[0])}
        await self.app(scope, receive, send)
