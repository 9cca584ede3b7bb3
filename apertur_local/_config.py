"""Configuration of a local Apertur server and the injectable clock.

:class:`LocalConfig` is a frozen record built once (by the CLI, :class:`LocalApertur` or a test)
and handed to :func:`~apertur_local.create_app`. :class:`Clock` is the only source of "now" in
the server, so tests can move time forward (``POST /_local/clock``) instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ._hosts import normalise_host_name
from ._latency import check_jitter, parse_duration

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_PROJECT_ID",
    "SECRET",
    "Clock",
    "LocalConfig",
]

DEFAULT_API_KEY = "aptr_test_local"
"""Bootstrap API key accepted by a fresh server."""

DEFAULT_PROJECT_ID = "proj_local"
"""Id of the one seeded project."""

SECRET = "apertur_local.secret"  # noqa: S105 - a metadata key
"""Metadata key marking a :class:`LocalConfig` field that holds a credential.

Such a field is left out of the config's ``repr`` (and so of logs and tracebacks). Its value says
what a front end may show: ``"default-public"`` (the default is the published
:data:`DEFAULT_API_KEY`, which help text may show) or ``"hidden"`` (neither the value nor its
default is ever printed). A front end prints a credential only where the user needs it, as the
server banner prints the API key to use.
"""

_GIB = 1024**3


def _secret(default: str | None, shown: str) -> Any:
    """A credential field (see :data:`SECRET`)."""
    return attrs.field(default=default, repr=False, metadata={SECRET: shown})


def _jitter(value: float | str) -> float:
    return parse_duration(value, "jitter")


def _at_least_one(instance: Any, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name.replace('_', ' ')} must be at least 1, not {value}")


def _host_names(values: str | Iterable[str]) -> tuple[str, ...]:
    """``allowed_hosts``: names (a string may list several, comma-separated), normalised."""
    items = values.split(",") if isinstance(values, str) else values
    names = (normalise_host_name(str(item)) for item in items)
    return tuple(dict.fromkeys(name for name in names if name))


@attrs.frozen(kw_only=True)
class LocalConfig:
    """Everything that can be chosen when a local Apertur server starts.

    ``data_dir`` ``None`` means "a fresh temporary directory, removed on stop"; a given directory
    keeps the state (an SQLite database), the stored images and the RSA key across restarts.
    Credentials (``api_key``, ``signing_secret``, ``control_token``) never appear in its repr.
    """

    host: str = "127.0.0.1"
    port: int = 8484
    api_key: str = _secret(DEFAULT_API_KEY, "default-public")
    project_id: str = DEFAULT_PROJECT_ID
    project_name: str = "Local project"
    data_dir: Path | None = None
    signing_secret: str | None = _secret(None, "hidden")
    signing_tolerance: int = 300
    long_poll_hold: float = 300.0
    rate_limit: int | None = None
    max_body_bytes: int = int(1.5 * _GIB)
    """Largest request body accepted by the upload endpoint (413 beyond)."""
    delivery_retry_intervals: tuple[float, ...] = (1.0, 5.0, 25.0)
    """Pauses between attempts of an image delivery to a webhook destination."""
    simulated_delivery_delay: float = 0.05
    """How long a destination that cannot be reached (s3, dropbox, ...) stays ``sending``."""
    outbound_timeout: float = 10.0
    """Timeout of one outbound POST (destinations and event webhooks)."""
    allow_external_delivery: bool = False
    """Whether webhooks may be POSTed to hosts other than loopback (off: a test server must
    not reach the internet by surprise; such deliveries fail with a note saying why)."""
    password_attempts: int = attrs.field(default=10, validator=_at_least_one)
    """Wrong passwords a session accepts per minute from requests without an API key (the upload
    page's); beyond, its password checks answer 429 with ``Retry-After``, right or wrong."""
    default_session_hours: int = 24
    """Lifetime of a session created without ``expires_in_hours``/``expires_at``."""
    public_url: str | None = None
    """Base URL (``http://host:port``) put in ``upload_url``, ``short_url`` and the QR code: what
    a phone opens. ``None``: the URL the API client used to reach the server. A server bound to
    every interface advertises its LAN address here (see ``apertur_local._lan.advertise``)."""
    allowed_hosts: tuple[str, ...] = attrs.field(default=(), converter=_host_names)
    """More names the server answers to (the ``Host`` of a request), e.g. a container's name or
    ``mybox.local``. IP addresses, ``localhost``, ``*.localhost``, ``host`` and the host of
    ``public_url`` always work; a request addressed to any other name is refused (403), so that a
    web page cannot reach the server by pointing its own name at this machine (DNS rebinding)."""
    control_token: str | None = _secret(None, "hidden")
    """When set, ``/_local/…`` (but ``/_local/health``) needs ``X-Apertur-Control-Token``."""
    max_request_line: int = 8 * 1024
    """Longest request line (method, target, version) accepted; longer answers 414."""
    max_header_bytes: int = 64 * 1024
    """Largest request head (request line and headers) accepted; larger answers 431."""
    header_timeout: float = 10.0
    """Seconds a client has to send a complete request head (408, then the connection closes);
    also how long a new connection may stay silent."""
    body_timeout: float = 15.0
    """Longest pause (seconds) while a request body is being read (408 beyond)."""
    write_timeout: float = 30.0
    """Longest time (seconds) a response may wait for a client that stopped reading it (a
    download, an event stream): the connection is then dropped."""
    keep_alive_timeout: int = 5
    """Seconds an idle keep-alive connection is kept open."""
    max_concurrency: int = 512
    """Most connections (and requests in progress) served at once; beyond that new requests
    get 503 at once instead of waiting."""
    http: str = "auto"
    """uvicorn's HTTP parser: ``auto`` (httptools when installed, else h11), ``h11`` or
    ``httptools``."""
    event_retention: float = 300.0
    """Seconds a real-time event stays available for replay to a reconnecting stream."""
    max_logged_events: int = 20_000
    """At most this many real-time events are retained (all sessions together)."""
    event_heartbeat: float = 15.0
    """Seconds of silence after which an event stream writes a heartbeat comment."""
    max_event_streams: int = 1000
    """Event streams that may be open at once (503 beyond)."""
    latency: float = attrs.field(default=0.0, converter=parse_duration)
    """Simulated network latency added before every request: seconds (``0.04``) or a duration
    string (``"40ms"``, ``"1.5s"``), at most 10 s. Event streams wait once, when they connect."""
    jitter: float = attrs.field(default=0.0, converter=_jitter)
    """Spread of the latency: each delay is drawn from latency ± jitter (jitter at most latency)."""

    def __attrs_post_init__(self) -> None:
        check_jitter(self.latency, self.jitter)

    @property
    def url(self) -> str:
        """``http://host:port`` of the server (IPv6 hosts bracketed). A wildcard bind address
        (``0.0.0.0``, ``::``) is not an address clients can use: loopback is advertised."""
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)  # noqa: S104
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"


@attrs.define
class Clock:
    """Wall-clock time plus an offset that tests may advance (never goes backwards)."""

    offset: float = 0.0

    def now(self) -> float:
        """Current time as UNIX seconds (float), including the test offset."""
        return time.time() + self.offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (negative values are ignored); return now."""
        if seconds > 0:
            self.offset += seconds
        return self.now()

    def reset(self) -> None:
        """Return to real time."""
        self.offset = 0.0
