"""THE response mapper: an ``httpx.Response`` becomes a generated model or a typed error.

* Any status outside 2xx (redirects are not followed, so 3xx too) → :func:`error_from_response`,
  whatever the body is: HTML from a proxy, truncated JSON, nothing at all, a status such as 599.
* A 2xx → the generated parser of the operation; a 2xx other than the documented one (200 for a
  documented 201) is parsed as the documented one, never dropped as ``None``.
* A 2xx body the generated parser rejects (not JSON, another shape, a missing field) →
  :class:`InvalidResponseError`, here and for the generated functions called with ``client.api``
  (:func:`invalid_response`). Unknown enum values parse (the generated enums keep them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx

from .exceptions import InvalidResponseError, error_from_response

if TYPE_CHECKING:
    from apertur_api.types import Operation

__all__ = ["check_status", "invalid_response", "is_success", "parse_response"]

T = TypeVar("T")

_PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError)
# Headers describing the wire encoding of a body we have already decoded.
_WIRE_HEADERS = ("content-encoding", "content-length", "transfer-encoding")


def is_success(status_code: int) -> bool:
    """2xx only: 1xx and 3xx are not results."""
    return 200 <= status_code < 300


def check_status(response: httpx.Response) -> None:
    """Raise the typed error for a non-2xx response (read: the transport keeps at most the
    first MiB of an error body)."""
    if not is_success(response.status_code):
        raise error_from_response(response.status_code, response.headers, response.content)


def invalid_response(
    response: httpx.Response, error: Exception | None, what: str | None = None
) -> InvalidResponseError:
    """The error for a success response whose body the parser of ``what`` (the operation; by
    default the request's method and path) rejected with ``error`` (None: it had no body)."""
    if what is None:
        what = f"{response.request.method} {response.request.url.path}"
    detail = "has no body" if error is None else "body could not be parsed"
    cause = "" if error is None else f" ({type(error).__name__}: {error})"
    return InvalidResponseError(
        f"{what}: the response {detail}{cause}",
        status_code=response.status_code,
        headers=response.headers,
        body=response.content,
    )


def parse_response(operation: Operation[T], response: httpx.Response, api: Any) -> T:
    """The parsed model of a fully read 2xx response, else raise the typed error.

    ``api`` is the generated client the parsers expect.
    """
    check_status(response)
    if response.status_code != operation.success:
        headers = [(k, v) for k, v in response.headers.multi_items() if k not in _WIRE_HEADERS]
        response = httpx.Response(
            operation.success, headers=headers, content=response.content, request=response.request
        )
    try:
        # The generated parser itself: ``_build_response`` would only wrap its result.
        parsed = operation.parse(client=api, response=response)
    except _PARSE_ERRORS as exc:
        raise invalid_response(response, exc, operation.name) from exc
    if parsed is None and operation.success != 204:
        raise invalid_response(response, None, operation.name)
    return cast(T, parsed)
