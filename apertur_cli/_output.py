"""Output helpers: models to JSON, sizes and times for people.

``--json`` output uses one casing everywhere: the SDK's snake_case attribute names
(``expires_at``, ``password_protected``, ``last_changed``), whatever the wire uses, so a script
reads the same names as Python code does. Fields the server sent that the SDK does not know yet
are converted to snake_case too; the maps of user data (a destination's ``config``, a session's
``metadata``, a webhook's custom headers) keep their keys as given.
"""

from __future__ import annotations

import datetime
import enum
import json
import re
import sys
from collections.abc import Mapping
from typing import Any, cast

import attrs
import click

__all__ = ["emit_json", "human_size", "human_time", "jsonable", "snake_case", "unset_to_none"]

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_C1_CONTROLS = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def snake_case(name: str) -> str:
    """``expiresAt`` → ``expires_at``, ``x-session-id`` → ``x_session_id``; snake stays."""
    return _CAMEL_BOUNDARY.sub("_", name).replace("-", "_").lower()


USER_DATA_FIELDS = frozenset({"config", "metadata", "custom_headers"})
"""Fields whose value is a map of user data: its keys are kept as given, not re-cased."""


def _model(value: object, *, keep_keys: bool = False) -> dict[str, Any]:
    """An attrs model as a dict of its attribute names (``type_`` → ``type``), unset left out.

    Fields the SDK does not declare (``additional_properties``) are snake_cased too, unless
    ``keep_keys``: the model is a map of user data.
    """
    out: dict[str, Any] = {}
    declared = [
        f for f in attrs.fields(cast(Any, type(value))) if f.name != "additional_properties"
    ]
    for field in declared:
        item = getattr(value, field.name)
        if _is_unset(item):
            continue  # the server did not send it
        name = field.name.rstrip("_")
        out[name] = jsonable(item, keep_keys=name in USER_DATA_FIELDS)
    extra = getattr(value, "additional_properties", None)
    if isinstance(extra, Mapping):
        for key, item in extra.items():
            out.setdefault(str(key) if keep_keys else snake_case(str(key)), jsonable(item))
    return out


def jsonable(value: object, *, keep_keys: bool = False) -> Any:
    """Models, mappings, sequences, enums, datetimes and paths as plain JSON values.

    ``keep_keys``: ``value`` is a map of user data (see :data:`USER_DATA_FIELDS`).
    """
    if attrs.has(type(value)):
        return _model(value, keep_keys=keep_keys)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
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
    # json escapes C0 controls itself; C1 controls and line separators could still act on a
    # terminal or split a JSON Lines stream, so they are escaped too.
    text = _C1_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    click.echo(text, err=err)
    (sys.stderr if err else sys.stdout).flush()


def _is_unset(value: object) -> bool:
    return type(value).__name__ == "Unset"


def unset_to_none(value: object) -> Any:
    """The generated models' ``UNSET`` marker as ``None`` (it is falsy and has no value)."""
    return None if _is_unset(value) else value


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
