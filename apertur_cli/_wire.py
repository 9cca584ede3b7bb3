"""API field names → the flags the user typed, for messages.

:class:`WireOption` records which API field an option fills when its name differs from the
flag (``--destination`` → ``destination_ids``); :func:`wire_flags` turns a command's options
into a ``{field name: flag}`` map, so a server message such as "send x-session-password" is shown
with the flag the user typed ("send --password").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import click

__all__ = ["WireOption", "rename_wire_fields", "wire_flags"]


class WireOption(click.Option):
    """A :class:`click.Option` that knows the API field names it fills (``wire=...``)."""

    def __init__(self, *args: Any, wire: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wire = tuple(wire)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def wire_flags(command: click.Command) -> dict[str, str]:
    """``{API field name: --flag}`` for ``command``'s options.

    Every multi-word option answers to its snake_case and camelCase names (``max_images``,
    ``maxImages`` → ``--max-images``), plus the names declared with ``WireOption(wire=...)``.
    One-word names are left alone unless declared: in a sentence they are ordinary words.
    """
    flags: dict[str, str] = {}
    for param in command.params:
        if not isinstance(param, click.Option) or not param.name:
            continue
        longs = [opt for opt in param.opts if opt.startswith("--")]
        if not longs:
            continue
        flag = longs[0]
        names = set(getattr(param, "wire", ()))
        if "_" in param.name:
            names |= {param.name, _camel(param.name)}
        for name in names:
            flags.setdefault(name, flag)
    return flags


def rename_wire_fields(message: str, flags: Mapping[str, str]) -> str:
    """``message`` with every API field name in ``flags`` replaced by its flag."""
    if not flags or not message:
        return message
    names = sorted(flags, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    return pattern.sub(lambda m: flags[m.group(1)], message)
