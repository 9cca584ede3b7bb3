"""Simulated network latency: ``apertur-local serve --latency 40ms --jitter 10ms``.

Users talk to a remote API; on loopback every request answers at once, which hides what latency
does to their code (and to ours). With a latency set, :class:`LatencyMiddleware` waits before each
request reaches the app, as a network round trip would, without blocking the event loop (other
requests are served meanwhile). With a jitter, each wait is drawn uniformly from
``latency ± jitter``.

What is delayed: every HTTP request, and a WebSocket once when it connects. What is not: the
control plane (``/_local/…``, so resets and fault rules stay instant), and Socket.IO long-polling
requests after the handshake; an event stream (Server-Sent Events or Socket.IO) is delayed when it
connects, never per event.

Durations are seconds (a number) or strings: ``40ms``, ``0.04s``, ``0.04`` (seconds).
"""

from __future__ import annotations

import asyncio
import math
import random
import re
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = [
    "MAX_LATENCY",
    "DurationError",
    "LatencyMiddleware",
    "check_jitter",
    "format_duration",
    "parse_duration",
]

MAX_LATENCY = 10.0
"""The largest latency or jitter accepted, in seconds (more is no network: use a delay fault)."""

_DURATION = re.compile(r"^(?P<number>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>ms|s)?$")
_CONTROL_PREFIX = "/_local/"
_SOCKETIO_PREFIX = "/socket.io"


class DurationError(ValueError):
    """A latency or jitter that cannot be used (the message says why)."""


def parse_duration(value: float | str, what: str = "latency") -> float:
    """Seconds from a number of seconds or a string such as ``40ms``, ``0.04s`` or ``0.04``.

    Raises :class:`DurationError` for anything negative, malformed, not finite or above
    :data:`MAX_LATENCY`.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise DurationError(f"{what} must be a number of seconds or a string such as '40ms'")
    if isinstance(value, str):
        text = value.strip().lower()
        match = _DURATION.match(text)
        if match is None:
            if text.startswith("-"):
                raise DurationError(f"{what} must not be negative (got {value!r})")
            raise DurationError(f"{what} must be a duration such as 40ms or 0.04s (got {value!r})")
        number, bare = match["number"], match["unit"] is None
        seconds = float(number) / (1000.0 if match["unit"] == "ms" else 1.0)
    else:
        seconds, bare = float(value), True
        number = f"{seconds:g}"
        if not math.isfinite(seconds):
            raise DurationError(f"{what} must be a finite number of seconds")
        if seconds < 0:
            raise DurationError(f"{what} must not be negative (got {seconds:g}s)")
    if seconds > MAX_LATENCY:
        hint = f"; a bare number is seconds: for milliseconds write '{number}ms'" if bare else ""
        raise DurationError(f"{what} must be at most {MAX_LATENCY:g}s (got {seconds:g}s){hint}")
    return seconds


def check_jitter(latency: float, jitter: float) -> None:
    """:class:`DurationError` unless ``jitter`` (the spread around ``latency``) fits inside it."""
    if jitter > latency:
        raise DurationError(
            f"jitter ({format_duration(jitter)}) must not exceed latency "
            f"({format_duration(latency)}): each delay is drawn from latency ± jitter"
        )


def format_duration(seconds: float) -> str:
    """``0.04`` → ``'40ms'``, ``1.5`` → ``'1.5s'``."""
    return f"{seconds * 1000:g}ms" if seconds < 1 else f"{seconds:g}s"


def _is_delayed(scope: Scope) -> bool:
    kind = scope["type"]
    if kind == "websocket":
        return True  # once, when it connects
    if kind != "http":
        return False
    path: str = scope["path"]
    if path.startswith(_CONTROL_PREFIX):
        return False
    if path.startswith(_SOCKETIO_PREFIX):
        # Engine.IO long-polling carries events in later requests (which name their sid): only
        # the handshake is a connection.
        query = scope.get("query_string", b"").decode("latin-1")
        return "sid" not in parse_qs(query)
    return True


class LatencyMiddleware:
    """Pure ASGI middleware waiting ``latency ± jitter`` seconds before each delayed request.

    ``sleep`` and ``rng`` are injectable so that tests can see the delays without waiting.
    """

    def __init__(
        self,
        app: ASGIApp,
        latency: float,
        jitter: float = 0.0,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        check_jitter(latency, jitter)
        self.app = app
        self.latency = latency
        self.jitter = jitter
        self._sleep = sleep
        self._rng = rng or random.Random()  # a simulated delay, not a secret

    def delay(self) -> float:
        """The next wait, in seconds."""
        if not self.jitter:
            return self.latency
        return max(0.0, self.latency + self._rng.uniform(-self.jitter, self.jitter))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _is_delayed(scope):
            await self._sleep(self.delay())
        await self.app(scope, receive, send)
