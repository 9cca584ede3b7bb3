"""Every JSON request body of the local server is read and parsed here, within fixed limits.

A body is read chunk by chunk and refused (400) as soon as it passes :data:`MAX_JSON_BODY`
bytes; the parsed value is refused when it nests deeper than :data:`MAX_JSON_DEPTH` arrays or
objects, holds a lone surrogate (it could never be answered or stored as UTF-8), or uses
``NaN``/``Infinity`` (not JSON). The depth is measured without recursion, and Python's own
parser stops at its recursion limit, so no body can make the server recurse deeply later (when
the value is stored or answered). Nothing here touches the state: a refused body changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import ClientDisconnect, Request

from ._errors import bad_request

__all__ = [
    "MAX_JSON_BODY",
    "MAX_JSON_DEPTH",
    "JsonBodyError",
    "json_depth",
    "parse_json",
    "read_body",
    "read_json",
]

MAX_JSON_BODY = 1024 * 1024
"""Largest JSON body accepted, in bytes."""

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects accepted (``{"a": [1]}`` has depth 2)."""


class JsonBodyError(ValueError):
    """A body that is not acceptable JSON; the message says why (safe to show the client)."""


def json_depth(value: Any, limit: int) -> int:
    """Nesting depth of ``value`` (scalars 0), counted iteratively; stops once past ``limit``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth) for child in children)
    return deepest


def _reject_constant(name: str) -> Any:
    raise JsonBodyError(f"{name} is not valid JSON")


def parse_json(raw: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``raw`` parsed as JSON within the limits of the module docstring (:class:`JsonBodyError`)."""
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise JsonBodyError(f"JSON is nested deeper than {max_depth} levels") from None
    except JsonBodyError:
        raise
    except (ValueError, UnicodeDecodeError) as exc:
        raise JsonBodyError("body is not valid JSON") from exc
    if json_depth(value, max_depth) > max_depth:
        raise JsonBodyError(f"JSON is nested deeper than {max_depth} levels")
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise JsonBodyError("JSON contains invalid Unicode (a lone surrogate)") from None
    return value


async def read_body(request: Request, limit: int = MAX_JSON_BODY) -> bytes:
    """The whole body, read chunk by chunk; 400 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise bad_request(f"Request body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise bad_request(f"Request body is larger than {limit} bytes")
            chunks.append(chunk)
    except ClientDisconnect as exc:
        raise bad_request("Client disconnected while sending the body") from exc
    return b"".join(chunks)


async def read_json(request: Request, limit: int = MAX_JSON_BODY) -> Any:
    """The body parsed by :func:`parse_json`; ``None`` when it is empty; 400 when refused."""
    raw = await read_body(request, limit)
    if not raw.strip():
        return None
    try:
        return parse_json(raw)
    except JsonBodyError as exc:
        raise bad_request(f"Request body refused: {exc}") from None
