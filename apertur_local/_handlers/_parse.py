"""Request parsing for the handlers: JSON bodies and query values checked against the spec types.

Every helper raises a 400 :class:`~apertur_local._errors.ApiError` naming the offending field, so
malformed input never reaches the state (and never becomes a 500). Absent optional fields come back
as ``None``; handlers that must tell "absent" from ``null`` (PATCH) test ``name in body`` first.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from typing import Any

from starlette.requests import Request

from .._errors import bad_request
from .._isotime import format_iso
from .._json_body import read_body, read_json

__all__ = [
    "boolean",
    "date_time",
    "format_iso",
    "int_list",
    "integer",
    "json_object",
    "nullable_integer",
    "nullable_string",
    "obj",
    "parse_iso",
    "query_int",
    "read_limited",
    "string",
    "string_list",
    "string_map",
]

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

read_limited = read_body
"""The whole body, read chunk by chunk; 400 as soon as it passes the limit (1 MiB by default)."""


async def json_object(request: Request, *, optional: bool = False) -> dict[str, Any]:
    """The request body as a JSON object within the limits of ``_json_body`` (1 MiB, 32 levels);
    ``{}`` if empty and ``optional``."""
    value = await read_json(request)
    if value is None:
        if optional:
            return {}
        raise bad_request("A JSON object body is required")
    if not isinstance(value, dict):
        raise bad_request("Request body must be a JSON object")
    return value


def _present(body: dict[str, Any], name: str, required: bool) -> bool:
    if name not in body:
        if required:
            raise bad_request(f"{name} is required")
        return False
    return True


def string(
    body: dict[str, Any], name: str, *, required: bool = False, non_empty: bool = False
) -> str | None:
    """A string field (``null`` is rejected)."""
    if not _present(body, name, required):
        return None
    value = body[name]
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    if non_empty and not value.strip():
        raise bad_request(f"{name} must not be empty")
    return value


def nullable_string(body: dict[str, Any], name: str) -> str | None:
    """A string-or-null field."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise bad_request(f"{name} must be a string or null")
    return value


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise bad_request(f"{name} must be an integer")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, int):
        raise bad_request(f"{name} must be an integer")
    return value


def _bounded(value: int, name: str, minimum: int | None, maximum: int | None) -> int:
    if minimum is not None and value < minimum:
        raise bad_request(f"{name} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise bad_request(f"{name} must be at most {maximum}")
    return value


def integer(
    body: dict[str, Any],
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    required: bool = False,
) -> int | None:
    """An integer field (``null`` is rejected)."""
    if not _present(body, name, required):
        return None
    return _bounded(_as_int(body[name], name), name, minimum, maximum)


def nullable_integer(body: dict[str, Any], name: str, *, minimum: int | None = None) -> int | None:
    """An integer-or-null field."""
    value = body.get(name)
    if value is None:
        return None
    return _bounded(_as_int(value, name), name, minimum, None)


def boolean(body: dict[str, Any], name: str) -> bool | None:
    """A boolean field."""
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, bool):
        raise bad_request(f"{name} must be a boolean")
    return value


def string_list(
    body: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    allowed: Collection[str] | None = None,
) -> list[str] | None:
    """An array of strings (each in ``allowed`` when given)."""
    if not _present(body, name, required):
        return None
    value = body[name]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad_request(f"{name} must be an array of strings")
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise bad_request(f"{name}: unsupported value(s) {', '.join(map(repr, bad))}")
    return list(value)


def int_list(body: dict[str, Any], name: str, *, minimum: int | None = None) -> list[int] | None:
    """An array of integers."""
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, list):
        raise bad_request(f"{name} must be an array of integers")
    return [_bounded(_as_int(v, name), name, minimum, None) for v in value]


def obj(body: dict[str, Any], name: str) -> dict[str, Any] | None:
    """A JSON object field."""
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, dict):
        raise bad_request(f"{name} must be an object")
    return value


def string_map(body: dict[str, Any], name: str) -> dict[str, str] | None:
    """An object whose values are all strings."""
    value = obj(body, name)
    if value is not None and not all(isinstance(v, str) for v in value.values()):
        raise bad_request(f"{name} values must be strings")
    return value


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_HEADER_VALUE = re.compile(r"^[\t\x20-\x7e]*$")


def header_map(body: dict[str, Any], name: str) -> dict[str, str] | None:
    """A string map whose keys are HTTP header names and whose values are sendable as-is."""
    value = string_map(body, name)
    for key, text in (value or {}).items():
        if not _HEADER_NAME.match(key) or not _HEADER_VALUE.match(text):
            raise bad_request(f"{name} must map header names to printable ASCII values ({key!r})")
    return value


def parse_iso(value: str, name: str) -> float:
    """RFC 3339 date-time (with ``Z`` or an offset) → UNIX seconds; 400 otherwise."""
    if not _RFC3339.match(value):
        raise bad_request(f"{name} must be an ISO 8601 date-time with a time zone")
    try:
        return datetime.fromisoformat(value.replace("z", "Z")).timestamp()
    except ValueError as exc:
        raise bad_request(f"{name} is not a valid date-time") from exc


def date_time(body: dict[str, Any], name: str) -> float | None:
    """A date-time string field as UNIX seconds."""
    value = string(body, name)
    return None if value is None else parse_iso(value, name)


def query_int(
    request: Request,
    name: str,
    default: int,
    *,
    minimum: int = 1,
    maximum: int | None = None,
) -> int:
    """An integer query parameter within bounds; ``default`` when absent."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip(), 10)
    except ValueError as exc:
        raise bad_request(f"{name} must be an integer") from exc
    return _bounded(value, name, minimum, maximum)
