"""The ``apertur`` logger: one record per attempt and retry (debug) and per call (info).

``APERTUR_LOG=debug`` or ``APERTUR_LOG=info`` attaches a stderr handler at that level (once per
process). Records carry the method and the path (the URL's host too for a retry), the status or
the class of the error, attempt numbers and the elapsed time: never a query string, header or
body, so credentials, signatures and session passwords cannot reach a log.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

import httpx

__all__ = ["configure_from_env", "log_attempt", "log_call", "log_retry", "logger"]

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


def log_retry(request: httpx.Request, reason: str, delay: float, retry: int, of: int) -> None:
    """Debug record for a retry about to be waited for."""
    url = request.url.copy_with(query=None, fragment=None, userinfo=b"")
    message = "retrying %s %s after %s in %.3fs (retry %d of %d)"
    logger.debug(message, request.method, url, reason, delay, retry, of)


def log_call(
    request: httpx.Request, outcome: int | BaseException, attempts: int, elapsed: float
) -> None:
    """Info record for a finished call: its status, or the class of the error it ended in."""
    ended = f"-> {outcome}" if isinstance(outcome, int) else f"failed: {type(outcome).__name__}"
    message = "%s %s %s attempts=%d elapsed=%.3fs"
    logger.info(message, request.method, request.url.path, ended, attempts, elapsed)
