"""The control plane ``/_local/…`` (not part of the Apertur API, never in openapi.yaml).

* ``GET  /_local/health``: ``{"ok": true}`` once the server answers;
* ``POST /_local/reset``: back to the seeded state (project, bootstrap key), deliveries cancelled,
  stored images deleted, faults cleared, clock back to real time; the RSA key is kept;
* ``GET  /_local/state``: counts of everything stored (no secrets);
* ``POST /_local/clock`` ``{"advance": seconds}``: move the server clock forward (expiry tests);
* fault injection under ``/_local/faults`` (``_faults``).

No API key is needed, but :class:`ControlPlaneGuard` refuses (403) what a web page could send:
a ``Host`` that is not a loopback name or address, the server's own configured host or a name
given with ``--allowed-hosts`` (DNS rebinding; the rest of the server accepts more, see
``_hosts``), an ``Origin`` other than the server's own, and a ``Sec-Fetch-Site`` of ``cross-site``
or ``same-site``. With ``--control-token`` every path but ``/_local/health`` also needs
``X-Apertur-Control-Token`` (401 otherwise); a request carrying the right token may name any
host (a browser cannot send that header across origins without a preflight, which fails).
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ._errors import bad_request, error_response
from ._hosts import header_host
from ._isotime import format_iso
from ._json_body import JsonBodyError, parse_json, read_body

__all__ = [
    "CONTROL_PATH",
    "CONTROL_TOKEN_HEADER",
    "ControlPlaneGuard",
    "control_routes",
    "host_is_local",
]

CONTROL_PATH = "/_local"
"""Every control-plane path starts with this."""

CONTROL_TOKEN_HEADER = "x-apertur-control-token"  # noqa: S105 - a header name
"""The header carrying ``--control-token``."""

_OPEN_PATHS = frozenset({"/_local/health"})
_CROSS_SITE = frozenset({"cross-site", "same-site"})


async def health(request: Request) -> Response:
    """``GET /_local/health``."""
    return JSONResponse({"ok": True})


async def reset(request: Request) -> Response:
    """``POST /_local/reset``."""
    app_state = request.app.state
    state = app_state.services.state
    await app_state.services.engine.cancel_all()
    detached = state.reset()
    app_state.fault_plan.clear()
    # Deleting thousands of image files is disk work: off the event loop.
    await asyncio.to_thread(state.blobs.remove_tree, detached)
    return JSONResponse({"status": "reset"})


async def state_summary(request: Request) -> Response:
    """``GET /_local/state``."""
    return JSONResponse(request.app.state.services.state.summary())


async def clock(request: Request) -> Response:
    """``POST /_local/clock`` ``{"advance": seconds}`` (an empty body just reads the clock)."""
    raw = await read_body(request, 4096)
    advance = 0.0
    if raw.strip():
        try:
            body = parse_json(raw)
        except JsonBodyError as exc:
            raise bad_request(f'body must be JSON like {{"advance": 3600}} ({exc})') from exc
        value = body.get("advance", 0) if isinstance(body, dict) else None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            raise bad_request("advance must be a non-negative number of seconds")
        advance = float(value)
    state = request.app.state.services.state
    now = state.clock.advance(advance)
    state.changes.wake_all()
    return JSONResponse({"now": format_iso(now), "offset": state.clock.offset})


def control_routes() -> list[BaseRoute]:
    """Routes of the control plane (fault routes are added by ``_routes``)."""
    return [
        Route("/_local/health", health, methods=["GET"]),
        Route("/_local/reset", reset, methods=["POST"]),
        Route("/_local/state", state_summary, methods=["GET"]),
        Route("/_local/clock", clock, methods=["POST"]),
    ]


def host_is_local(host: str, configured: str, allowed: Iterable[str] = ()) -> bool:
    """Whether ``host`` (no port) is a loopback name or address, the configured host or one of
    the ``allowed`` names (``--allowed-hosts``)."""
    if host in ("localhost", configured.lower().strip("[]")) or host in allowed:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


class ControlPlaneGuard:
    """Pure ASGI middleware applying the rules of the module docstring to ``/_local`` paths."""

    def __init__(
        self,
        app: ASGIApp,
        configured_host: str,
        token: str | None = None,
        *,
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        self.app = app
        self._configured = configured_host
        self._token = token
        self._allowed = frozenset(allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path == CONTROL_PATH or path.startswith(CONTROL_PATH + "/"):
            refusal = self._refusal(scope, path)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, path: str) -> Response | None:
        headers: dict[str, str] = {}
        for name, value in scope.get("headers", []):
            headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
        presented = headers.get(CONTROL_TOKEN_HEADER)
        has_token = (
            self._token is not None
            and presented is not None
            and secrets.compare_digest(presented.encode("utf-8"), self._token.encode("utf-8"))
        )
        if self._token is not None and not has_token and path not in _OPEN_PATHS:
            return error_response(
                401,
                f"The control plane of this server needs the {CONTROL_TOKEN_HEADER} header "
                "(the --control-token it was started with)",
            )
        host = header_host(headers.get("host", ""))
        if not has_token and (
            host is None or not host_is_local(host, self._configured, self._allowed)
        ):
            return error_response(
                403,
                "The control plane only answers requests addressed to a loopback host or the "
                "server's own host (Host header)",
            )
        origin = headers.get("origin")
        if origin is not None and not _same_origin(origin, headers.get("host", ""), scope):
            return error_response(403, "The control plane refuses cross-origin requests")
        if headers.get("sec-fetch-site", "").lower() in _CROSS_SITE:
            return error_response(403, "The control plane refuses cross-site requests")
        return None


def _same_origin(origin: str, host_header: str, scope: Scope) -> bool:
    """Whether ``origin`` is ``scheme://Host`` of this very request."""
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return False
    scheme = scope.get("scheme", "http")
    return parts.scheme == scheme and parts.netloc.lower() == host_header.strip().lower() != ""
