"""The one API error of the local server and the handlers rendering it as ``{message, code}``.

Every failure the server reports is an :class:`ApiError`; handlers and the state raise it, and
:func:`exception_handlers` turns it (and Starlette's own 404/405, and anything unexpected) into the
wire error body (the ``Error`` schema).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import ExceptionHandler

__all__ = [
    "ApiError",
    "bad_request",
    "conflict",
    "error_response",
    "exception_handlers",
    "forbidden",
    "gone",
    "not_found",
    "payload_too_large",
    "unauthorized",
]

_log = logging.getLogger("apertur_local")

_CODES: dict[int, str] = {
    400: "VALIDATION_ERROR",
    401: "AUTHENTICATION_FAILED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    409: "CONFLICT",
    410: "GONE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "UNPROCESSABLE_ENTITY",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


class ApiError(Exception):
    """An error answered to the client as ``{"message": ..., "code": ...}`` with ``status``."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _CODES.get(status, "ERROR")
        self.headers = dict(headers or {})

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.message!r}, {self.code!r})"


def bad_request(message: str) -> ApiError:
    """400 ``VALIDATION_ERROR``."""
    return ApiError(400, message)


def unauthorized(message: str = "Invalid or missing API key") -> ApiError:
    """401 ``AUTHENTICATION_FAILED``."""
    return ApiError(401, message)


def forbidden(message: str) -> ApiError:
    """403 ``FORBIDDEN``."""
    return ApiError(403, message)


def not_found(what: str) -> ApiError:
    """404 ``NOT_FOUND`` for a missing ``what`` (e.g. ``"Session"``)."""
    return ApiError(404, f"{what} not found")


def conflict(message: str) -> ApiError:
    """409 ``CONFLICT``."""
    return ApiError(409, message)


def gone(message: str) -> ApiError:
    """410 ``GONE``."""
    return ApiError(410, message)


def payload_too_large(message: str) -> ApiError:
    """413 ``PAYLOAD_TOO_LARGE``."""
    return ApiError(413, message)


def error_response(
    status: int, message: str, code: str | None = None, headers: Mapping[str, str] | None = None
) -> Response:
    """Render the wire error body."""
    body = {"message": message, "code": code or _CODES.get(status, "ERROR")}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.code, exc.headers)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"No route for {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"Method {request.method} not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    return error_response(exc.status_code, message, None, exc.headers)


async def _client_gone(request: Request, exc: Exception) -> Response:
    """The client hung up while its body was being read (e.g. it timed out): nobody will read
    this answer, and it is not a server error worth a traceback."""
    _log.debug("client disconnected during %s %s", request.method, request.url.path)
    return error_response(400, "Client disconnected before the request body was read")


async def _unexpected(request: Request, exc: Exception) -> Response:
    _log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "Internal error in apertur-local", "INTERNAL_ERROR")


def exception_handlers() -> dict[int | type[Exception], ExceptionHandler]:
    """The handler map given to ``Starlette(exception_handlers=...)``."""
    return {
        ApiError: _api_error,
        HTTPException: _http_exception,
        ClientDisconnect: _client_gone,
        Exception: _unexpected,
    }
