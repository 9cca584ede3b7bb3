"""Option values shared by the commands: lists, ``KEY=VALUE`` maps and JSON objects."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ._errors import CliError

__all__ = ["json_object", "key_values", "split_values"]


def split_values(values: Iterable[str]) -> list[str]:
    """Repeated and/or comma-separated values, blanks dropped."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def key_values(values: Iterable[str], option: str) -> dict[str, str]:
    """``KEY=VALUE`` items as a dict; a clear error naming ``option`` for anything else."""
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CliError(f"{option} takes KEY=VALUE, got {item!r}", exit_code=2)
        out[key.strip()] = value
    return out


def json_object(value: str | None, option: str) -> dict[str, Any] | None:
    """A JSON object given inline or as ``@file``; None when not given."""
    if value is None:
        return None
    text = value
    if value.startswith("@"):
        try:
            text = Path(value[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(
                f"{option}: cannot read {value[1:]}: {exc.strerror}", exit_code=2
            ) from None
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        raise CliError(f"{option} is not valid JSON: {exc}", exit_code=2) from None
    if not isinstance(parsed, dict):
        raise CliError(f"{option} must be a JSON object", exit_code=2)
    return parsed
