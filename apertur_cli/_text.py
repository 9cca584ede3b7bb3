"""Server and user text, shown literally: no markup, no terminal escapes, bounded length.

Anything that came from the server (messages, names, tags, URLs) or from the user (file names,
paths) is untrusted on a terminal: ``[/]`` would be read as Rich markup (and crash it), an ANSI or
OSC escape could recolour, retitle or rewrite the screen, and a megabyte message would flood it.
:func:`clean` strips escapes and control characters and caps the length; :func:`literal` wraps the
result in a Rich :class:`~rich.text.Text`, which is never parsed as markup; :func:`table` and
:func:`grid` build tables whose every cell is literal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text

__all__ = ["MAX_TEXT", "clean", "grid", "literal", "table", "yes_no"]

MAX_TEXT = 500
"""Longest piece of untrusted text shown, in characters (the rest becomes ``…``)."""

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erasing
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks, clipboard
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # any other escape sequence
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_BLANKS = re.compile(r"[\t\n\r\v\f\x85\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0/C1 controls and the bidirectional overrides that make text read differently."""


def clean(value: object, *, limit: int = MAX_TEXT) -> str:
    """``value`` as one printable line: escapes and controls removed, at most ``limit`` chars."""
    text = "" if value is None else str(value)
    text = text[: limit * 4 + 64]  # bound the work on a huge message before cleaning it
    text = _ESCAPES.sub("", text)
    text = _BLANKS.sub(" ", text)
    text = _CONTROLS.sub("", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def literal(value: object, style: str = "", *, limit: int = MAX_TEXT) -> Text:
    """``value`` cleaned, as Rich text that is printed exactly (never read as markup)."""
    return Text(clean(value, limit=limit), style=style)


def _cell(value: object) -> Text:
    return value if isinstance(value, Text) else literal("-" if value is None else value)


def yes_no(value: object) -> str:
    """``yes``/``no`` for a flag, ``-`` when the server did not say."""
    if value is None or type(value).__name__ == "Unset":
        return "-"
    return "yes" if value else "no"


def table(
    columns: Sequence[str], rows: Iterable[Sequence[object]], *, title: str | None = None
) -> Table:
    """A borderless table; every cell printed literally (``None`` as ``-``); the first column
    (ids) never wraps."""
    out = Table(title=title, box=None, pad_edge=False, title_justify="left")
    for number, column in enumerate(columns):
        out.add_column(column, no_wrap=number == 0, overflow="fold")  # ids never wrap
    for row in rows:
        out.add_row(*(_cell(value) for value in row))
    return out


def grid(rows: Iterable[tuple[str, object]]) -> Table:
    """``label  value`` lines (labels bold); values printed literally."""
    out = Table.grid(padding=(0, 2))
    out.add_column(style="bold")
    out.add_column()
    for label, value in rows:
        out.add_row(label, _cell(value))
    return out
