"""Turn every failure into one clear line: the CLI's error type and the exception translator.

Nothing here ever prints a traceback or a credential: API errors carry only the server's message,
status and code (``apertur_ext`` keeps request headers out of its exceptions), and file errors
name the path and the reason.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from typing import Any

import click

from apertur_ext import (
    AperturError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    RateLimitError,
    UploadMayHaveBeenStoredError,
)

from ._launch import EXIT_MISSING_EXTRA, missing_extra
from ._wire import rename_wire_fields

__all__ = ["EXIT_FAILURE", "EXIT_INTERRUPTED", "CliError", "describe"]

EXIT_FAILURE = 1
"""Exit code of any error (a usage error is 2, as click has it)."""

EXIT_INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT), as shells report it."""


class CliError(click.ClickException):
    """An error to show as one line; ``details`` go into the ``--json`` error object."""

    def __init__(self, message: str, *, exit_code: int = EXIT_FAILURE, **details: Any) -> None:
        super().__init__(message)
        # click declares ``exit_code`` as a class variable; each error carries its own here.
        setattr(self, "exit_code", exit_code)  # noqa: B010
        self.details = {k: v for k, v in details.items() if v is not None}


def _status_text(exc: APIStatusError, message: str) -> str:
    label = f"HTTP {exc.status_code}" + (f" {exc.code}" if exc.code else "")
    if isinstance(exc, AuthenticationError):
        return f"authentication failed ({label}): {message} — check --api-key / APERTUR_API_KEY"
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        return f"rate limited ({label}): {message}; retry after {exc.retry_after:g} s"
    return f"{message} ({label})"


def _os_text(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    where = f": {exc.filename}" if exc.filename else ""
    if exc.errno == errno.ENOENT:
        reason = "no such file or directory"
    return f"{reason}{where}"


def describe(
    exc: BaseException, *, base_url: str | None = None, flags: Mapping[str, str] | None = None
) -> CliError:
    """The one-line :class:`CliError` for ``exc``; unknown exceptions get their type and text.

    ``flags`` (``{API field: --flag}``, see :func:`~apertur_cli._wire.wire_flags`) renames
    the API's field names in messages to the flags of the command that ran.
    """
    if isinstance(exc, CliError):
        return exc
    if isinstance(exc, AperturError):
        message = rename_wire_fields(exc.message, flags or {})
        if isinstance(exc, APIStatusError):
            return CliError(_status_text(exc, message), status=exc.status_code, code=exc.code)
        if isinstance(exc, UploadMayHaveBeenStoredError):
            return CliError(f"upload interrupted, it may have been stored: {message}")
        where = f" at {base_url}" if base_url else ""
        if isinstance(exc, APITimeoutError):
            return CliError(f"the Apertur API{where} did not answer in time: {message}")
        if isinstance(exc, APIConnectionError):
            return CliError(f"cannot reach the Apertur API{where}: {message}")
        return CliError(message, code=exc.code)
    extra = missing_extra(exc)
    if extra is not None:
        return CliError(extra, exit_code=EXIT_MISSING_EXTRA)
    if isinstance(exc, OSError):
        return CliError(_os_text(exc))
    text = str(exc).splitlines()[0] if str(exc) else ""
    return CliError(f"unexpected {type(exc).__name__}" + (f": {text}" if text else ""))
