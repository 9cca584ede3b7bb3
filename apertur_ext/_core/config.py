"""Client configuration: credentials, base URL, timeouts, retries and limits, resolved once.

Rules (as in the official SDKs): the API key wins over the OAuth token, and ``APERTUR_API_KEY``
is read when neither is passed; ``aptr_test_`` credentials select the ``test`` environment (the
sandbox URL), any other ``live``; an explicit ``base_url`` wins, then ``APERTUR_BASE_URL``, then
the environment's URL (trailing slashes stripped, a path prefix such as a gateway mount point
kept). A timeout is always set: ``None`` never means "wait forever". The credential and the
signing secret never appear in a ``repr``.
"""

from __future__ import annotations

import functools
import math
import os
import platform
import re
from typing import Literal, TypeAlias, TypeGuard

import attrs
import httpx

from .body import DEFAULT_MAX_RESPONSE_BYTES
from .exceptions import InvalidInputError

__all__ = [
    "DEFAULT_MAX_DOWNLOAD_BYTES",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "LIVE_BASE_URL",
    "LONG_POLL_READ_TIMEOUT",
    "MAX_TIMEOUT",
    "SANDBOX_BASE_URL",
    "ClientConfig",
    "Environment",
    "TimeoutArg",
    "check_max_retries",
    "is_int",
    "is_number",
    "package_version",
    "resolve_config",
    "to_timeout",
    "user_agent",
]

LIVE_BASE_URL = "https://api.aptr.ca"
SANDBOX_BASE_URL = "https://sandbox.api.aptr.ca"
TEST_KEY_PREFIX = "aptr_test_"
_USERINFO = re.compile(r"(?<=//)[^/?#]*@")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
"""Connect 10 s; read, write and pool 60 s; a call's deadline is its longest phase (60 s)."""

MAX_TIMEOUT = 1e9
"""Longest timeout accepted, in seconds (about 31 years)."""
LONG_POLL_READ_TIMEOUT = 360.0
"""Read timeout of a delivery-status long-poll: above the server's 5-minute hold."""

DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_DOWNLOAD_BYTES = 256 << 20
"""256 MiB: a download kept in memory (not written to ``to=``) is held to this by default."""

Environment: TypeAlias = Literal["live", "test"]
TimeoutArg: TypeAlias = float | httpx.Timeout | None
"""Seconds (all phases), a full :class:`httpx.Timeout`, or None for the client's default."""


@functools.cache
def package_version() -> str:
    """The installed ``apertur-client`` version (``0+unknown`` from a bare source tree)."""
    from importlib import metadata

    try:
        return metadata.version("apertur-client")
    except metadata.PackageNotFoundError:
        return "0+unknown"


@functools.cache
def user_agent() -> str:
    """``apertur-client/<version> python/<version>``."""
    return f"apertur-client/{package_version()} python/{platform.python_version()}"


def is_int(value: object) -> TypeGuard[int]:
    """An int, not a bool (a count of images, bytes, workers...)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """An int or a float, not a bool (a number of seconds, images, bytes...)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def to_timeout(value: float | httpx.Timeout) -> httpx.Timeout:
    """Normalise a timeout; every phase must be a positive number of seconds (never None)."""
    given = value.as_dict() if isinstance(value, httpx.Timeout) else {"": value}
    for phase, seconds in given.items():
        what = f"timeout ({phase})" if phase else "timeout"
        if seconds is None:
            raise InvalidInputError(f"{what} is None (unbounded); give a number of seconds")
        if not is_number(seconds):
            raise InvalidInputError(f"{what} must be a number of seconds")
        if not math.isfinite(seconds) or seconds <= 0:
            raise InvalidInputError(f"{what} must be a positive number of seconds")
        if seconds > MAX_TIMEOUT:  # the socket layer overflows near 9.2e9 s
            raise InvalidInputError(f"{what} must be at most {MAX_TIMEOUT:g} seconds")
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(float(value))


def check_max_retries(value: int | None) -> None:
    """``max_retries`` is a non-negative integer (or None where a default applies)."""
    if value is None:
        return
    if not is_int(value) or value < 0:
        raise InvalidInputError("max_retries must be a non-negative integer")


def _check_token(token: str, what: str) -> str:
    if not isinstance(token, str):
        raise InvalidInputError(f"{what} must be a string")
    token = token.strip()
    # Never echo the value: it is a credential.
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        raise InvalidInputError(f"{what} contains characters that cannot be sent in a header")
    return token


def _normalise_base_url(url: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise InvalidInputError("base_url must be a non-empty URL")
    shown = _USERINFO.sub("***@", url)  # a URL's password never shows in a message
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise InvalidInputError(f"invalid base_url: {shown!r}") from None
    if parsed.userinfo:
        raise InvalidInputError(f"base_url must not carry credentials: {shown!r}")
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidInputError(f"base_url must be an http(s) URL with a host: {shown!r}")
    if parsed.query or parsed.fragment:
        raise InvalidInputError("base_url must not carry a query or a fragment")
    return str(parsed).rstrip("/")


def _byte_count(value: int, what: str) -> int:
    if not is_int(value):
        raise InvalidInputError(f"{what} must be a number of bytes")
    if value < 1:
        raise InvalidInputError(f"{what} must be positive")
    return value


@attrs.frozen(repr=False)
class ClientConfig:
    """Everything a client needs, validated. ``token`` is the bearer credential."""

    token: str
    base_url: str
    environment: Environment
    timeout: httpx.Timeout = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    signing_secret: str | None = None
    retry_ambiguous_uploads: bool = False
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES

    def __repr__(self) -> str:
        return (
            f"ClientConfig(base_url={self.base_url!r}, environment={self.environment!r}, "
            f"max_retries={self.max_retries}, timeout={self.timeout!r}, "
            f"signing={'on' if self.signing_secret else 'off'})"
        )


def resolve_config(
    *,
    api_key: str | None = None,
    oauth_token: str | None = None,
    base_url: str | None = None,
    signing_secret: str | None = None,
    timeout: float | httpx.Timeout | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    retry_ambiguous_uploads: bool = False,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
) -> ClientConfig:
    """Validate the constructor arguments, falling back to the environment variables."""
    if api_key:
        token = _check_token(api_key, "api_key")
    elif oauth_token:
        token = _check_token(oauth_token, "oauth_token")
    elif os.environ.get("APERTUR_API_KEY", "").strip():
        token = _check_token(os.environ["APERTUR_API_KEY"], "APERTUR_API_KEY")
    else:
        raise InvalidInputError(
            "no credentials: pass api_key=... or oauth_token=..., "
            "or set the APERTUR_API_KEY environment variable"
        )
    environment: Environment = "test" if token.startswith(TEST_KEY_PREFIX) else "live"
    if base_url is None and os.environ.get("APERTUR_BASE_URL", "").strip():
        base_url = os.environ["APERTUR_BASE_URL"]
    if base_url is None:
        base_url = SANDBOX_BASE_URL if environment == "test" else LIVE_BASE_URL
    if signing_secret is not None and not (
        isinstance(signing_secret, str) and signing_secret.strip()
    ):
        raise InvalidInputError("signing_secret must be a non-empty string")
    check_max_retries(max_retries)
    return ClientConfig(
        token=token,
        base_url=_normalise_base_url(base_url),
        environment=environment,
        timeout=DEFAULT_TIMEOUT if timeout is None else to_timeout(timeout),
        max_retries=max_retries,
        signing_secret=signing_secret,
        retry_ambiguous_uploads=bool(retry_ambiguous_uploads),
        max_response_bytes=_byte_count(max_response_bytes, "max_response_bytes"),
        max_download_bytes=_byte_count(max_download_bytes, "max_download_bytes"),
    )
