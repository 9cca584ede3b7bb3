"""THE response mapper: an ``httpx.Response`` becomes a generated model or a typed error.

* Any status outside 2xx (redirects are not followed, so 3xx too) → :func:`error_from_response`
  (``NotFoundError``, ``RateLimitError``, ``ServerError``, …), whatever the body is: HTML from a
  proxy, truncated JSON, nothing at all, or a non-standard code such as 599.
* A 2xx → the generated ``_parse_response`` of the operation (``Operation.parse``). A 2xx other
  than the documented one (say 200 for a documented 201) is parsed as the documented one, never
  dropped as ``None``.
* A 2xx body that the generated parser rejects (not JSON, wrong shape, a missing field) →
  :class:`InvalidResponseError`. Unknown enum values parse (the generated enums keep them).

No ``ValueError``, ``KeyError``, ``TypeError`` or ``JSONDecodeError`` leaves this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx

from .exceptions import InvalidResponseError, error_from_response

if TYPE_CHECKING:
    from apertur_api.types import Operation

__all__ = ["check_status", "is_success", "parse_response"]

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


def _as_documented(response: httpx.Response, status: int) -> httpx.Response:
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _WIRE_HEADERS]
    return httpx.Response(
        status, headers=headers, content=response.content, request=response.request
    )


def parse_response(operation: Operation[T], response: httpx.Response, api: Any) -> T:
    """Map a fully read response: the parsed model on 2xx, else raise the typed error.

    ``api`` is the generated ``apertur_api.Client`` the parsers expect.
    """
    check_status(response)
    if response.status_code != operation.success:
        response = _as_documented(response, operation.success)
    try:
        # The generated parser itself: ``_build_response`` would only wrap its result.
        parsed = operation.parse(client=api, response=response)
    except _PARSE_ERRORS as exc:
        raise InvalidResponseError(
            f"{operation.name}: the response body could not be parsed "
            f"({type(exc).__name__}: {exc})",
            status_code=response.status_code,
            headers=response.headers,
            body=response.content,
        ) from exc
    if parsed is None and operation.success != 204:
        raise InvalidResponseError(
            f"{operation.name}: the response has no body",
            status_code=response.status_code,
            headers=response.headers,
            body=response.content,
        )
    return cast(T, parsed)
