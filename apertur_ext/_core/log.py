"""The ``apertur`` logger: one record per attempt (debug) and per call (info).

``APERTUR_LOG=debug`` or ``APERTUR_LOG=info`` attaches a stderr handler at that level (once per
process). Records carry the method, the path without its query string, the status, the attempt
number and the elapsed time — never headers or bodies, so credentials, signatures and session
passwords cannot reach a log.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

import httpx

__all__ = ["configure_from_env", "log_attempt", "log_failure", "log_response", "logger"]

logger = logging.getLogger("apertur")

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_HANDLER_NAME = "apertur-env"


def configure_from_env(environ: Mapping[str, str] | None = None) -> None:
    """Attach a stderr handler when ``APERTUR_LOG`` asks for one (idempotent)."""
    env = os.environ if environ is None else environ
    level = _LEVELS.get(env.get("APERTUR_LOG", "").strip().lower())
    if level is None:
        return
    if not any(h.get_name() == _HANDLER_NAME for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


def log_attempt(request: httpx.Request, attempt: int) -> None:
    """Debug record for one attempt about to be sent (attempt 1 is the first)."""
    logger.debug("sending %s %s attempt=%d", request.method, request.url.path, attempt)


def log_response(request: httpx.Request, status_code: int, attempts: int, elapsed: float) -> None:
    """Info record for a finished call (the path only: a query may carry caller data)."""
    logger.info(
        "%s %s -> %d attempts=%d elapsed=%.3fs",
        request.method,
        request.url.path,
        status_code,
        attempts,
        elapsed,
    )


def log_failure(
    request: httpx.Request, error: BaseException, attempts: int, elapsed: float
) -> None:
    """Info record for a call that failed (the class of the error it ended in, only)."""
    logger.info(
        "%s %s failed: %s attempts=%d elapsed=%.3fs",
        request.method,
        request.url.path,
        type(error).__name__,
        attempts,
        elapsed,
    )
