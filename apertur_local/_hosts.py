"""Which names the server answers to: the defence against DNS rebinding.

A web page the developer visits can make its own host name resolve to 127.0.0.1 (DNS
rebinding). The browser then sends that page's requests to this server as same-origin requests,
whose answers the page may read, with the page's name in ``Host``; and the API's default key is
public. So the server answers only requests whose ``Host`` is one of its own names:

* an IP address, any (rebinding needs a name; a phone on the network reaches a server started
  with ``--host 0.0.0.0`` by its address);
* ``localhost`` or a ``*.localhost`` name (browsers resolve them to loopback themselves);
* the configured ``--host``, and the host of ``--public-url`` (what upload links carry);
* a name given with ``--allowed-hosts`` (a container's name, a tunnel, a name in /etc/hosts).

Any other ``Host``, or none, gets **403** ``HOST_NOT_ALLOWED`` with a message naming the
option that allows it; a WebSocket handshake is refused (403) too. ``/_local/…`` is left to
:class:`~apertur_local._control.ControlPlaneGuard`, whose rule is stricter (loopback only).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ._body_guard import answer_early
from ._errors import error_response

__all__ = [
    "HOST_NOT_ALLOWED",
    "HostGuard",
    "header_host",
    "is_ip_address",
    "normalise_host_name",
    "server_names",
]

HOST_NOT_ALLOWED = "HOST_NOT_ALLOWED"
"""The ``code`` of the refusal."""

_CONTROL_PREFIX = "/_local"
_SHOWN_NAME = re.compile(r"[a-z0-9._-]{1,253}")


def normalise_host_name(value: str) -> str:
    """A host name as compared: lower case, no trailing dot, no port, no scheme
    (``http://Box.Local:8484/`` → ``box.local``); ``""`` when there is none."""
    text = value.strip()
    if "://" in text:
        text = urlsplit(text).netloc
    return header_host(text) or ""


def header_host(value: str) -> str | None:
    """The host of a ``Host`` header value (``host[:port]``, IPv6 in brackets), normalised;
    ``None`` when it is empty or malformed."""
    try:
        parts = urlsplit(f"//{value.strip()}")
        host, _ = parts.hostname, parts.port  # a malformed port is a malformed header
    except ValueError:
        return None
    if not host:
        return None
    return host.lower().rstrip(".") or None


def is_ip_address(host: str) -> bool:
    """Whether ``host`` is an IPv4 or IPv6 address (not a name)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def server_names(
    configured_host: str, public_url: str | None, allowed: Iterable[str]
) -> frozenset[str]:
    """The names (not addresses) a server answers to besides ``localhost`` and ``*.localhost``."""
    names = {normalise_host_name(configured_host), *(normalise_host_name(a) for a in allowed)}
    if public_url:
        names.add(normalise_host_name(public_url))
    return frozenset(name for name in names if name and not is_ip_address(name))


def _allowed(host: str, names: frozenset[str]) -> bool:
    return (
        is_ip_address(host) or host == "localhost" or host.endswith(".localhost") or host in names
    )


_KNOWN_HOSTS = 64
"""How many allowed ``Host`` header values a :class:`HostGuard` remembers (clients use a few)."""


class HostGuard:
    """Pure ASGI middleware applying the rule of the module docstring to HTTP and WebSocket
    requests (outside ``/_local``). ``body_timeout`` bounds the reading of a refused request's
    body (``_body_guard.answer_early``).

    The first :data:`_KNOWN_HOSTS` ``Host`` values found allowed are remembered, so that a
    client's every request does not parse its ``Host`` header again; refused values never are.
    """

    def __init__(self, app: ASGIApp, names: frozenset[str], *, body_timeout: float) -> None:
        self.app = app
        self.names = names
        self.body_timeout = body_timeout
        self._known: set[bytes] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or (
            path == _CONTROL_PREFIX or path.startswith(_CONTROL_PREFIX + "/")
        ):
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope.get("headers", []) if k == b"host"), b"")
        if raw in self._known:
            await self.app(scope, receive, send)
            return
        host = header_host(raw.decode("latin-1"))
        if host is not None and _allowed(host, self.names):
            if len(self._known) < _KNOWN_HOSTS:
                self._known.add(raw)
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":  # closing before accepting: the handshake gets 403
            await send({"type": "websocket.close", "code": 1008})
            return
        await answer_early(_refusal(host), scope, receive, send, self.body_timeout)


def _refusal(host: str | None) -> Response:
    shown = host if host is not None and _SHOWN_NAME.fullmatch(host) else None
    if shown is None:
        message = (
            "This server answers only requests addressed to one of its names or to an IP "
            "address (Host header), a defence against DNS rebinding"
        )
    else:
        message = (
            f"This server does not answer requests addressed to {shown!r} (Host header), a "
            "defence against DNS rebinding. If you reach it by that name, start it with "
            f"--allowed-hosts {shown}"
        )
    return error_response(403, message, HOST_NOT_ALLOWED)
