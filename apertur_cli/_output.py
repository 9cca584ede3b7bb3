"""Output helpers: models to JSON, sizes and times for people, one-line JSON errors.

``--json`` output is the API's own wire shape (``to_dict()`` of the generated models), so a
script sees the same field names as the HTTP API documents.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Mapping
from typing import Any

import click

__all__ = ["emit_json", "human_size", "human_time", "jsonable", "unset_to_none"]


def jsonable(value: object) -> Any:
    """Models (``to_dict``), mappings, sequences, datetimes and paths as plain JSON values."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return jsonable(to_dict())
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def emit_json(value: object, *, err: bool = False) -> None:
    """Write ``value`` as one line of JSON (JSON Lines when called repeatedly)."""
    text = json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))
    click.echo(text, err=err)
    (sys.stderr if err else sys.stdout).flush()


def unset_to_none(value: object) -> Any:
    """The generated models' ``UNSET`` marker as ``None`` (it is falsy and has no value)."""
    return None if type(value).__name__ == "Unset" else value


def human_size(size: object) -> str:
    """``1.2 MB``-style size; ``-`` when unknown."""
    size = unset_to_none(size)
    if not isinstance(size, int):
        return "-"
    amount = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if amount < 1000 or unit == "GB":
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1000
    return f"{amount:.1f} GB"  # pragma: no cover (loop always returns)


def human_time(value: object, *, short: bool = False) -> str:
    """A datetime (or ISO string) to the second in its own zone (``short``: to the minute, no
    zone); ``-`` when unset."""
    value = unset_to_none(value)
    if isinstance(value, datetime.datetime):
        if short:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.replace(microsecond=0).isoformat()
    return "-" if value is None else str(value)
