"""A griffe extension for the docs site: the docstrings' markup as Markdown.

The code's docstrings use ``literal`` and :role:`target` markup (read by people in editors and by
``help()``); mkdocstrings renders Markdown, so ``x`` becomes `x` and :class:`~a.b.C` becomes `C`,
and a paragraph ending in ``::`` (a literal block follows) ends in ``:``.

The generated package (``apertur_api``) writes its docstrings in Google style: an ``Args:``,
``Attributes:``, ``Raises:`` or ``Returns:`` title over indented entries, and ``Example:`` over an
indented value. Markdown would render such an indented block as code, or run it into one
paragraph, so each section becomes a bold title over a list (one item per entry), or over a
fenced block for an example.
"""

from __future__ import annotations

import ast
import pprint
import re
import textwrap
from typing import Any

import griffe

_ROLE = re.compile(r":(?:[a-z]+:)?[a-z]+:`~?(?:[^`<]*<)?([^`>]+)>?`")
_LITERAL = re.compile(r"``(.+?)``")
_LITERAL_BLOCK = re.compile(r"(\S)::\n")
_SECTION = re.compile(r"^(?P<indent> *)(?P<title>Args|Attributes|Raises|Returns|Examples?):$")
_ENTRY = re.compile(r"^(?P<name>[\w.\[\], |]+?)(?P<kind> \([^)]*\))?: (?P<text>.*)$")
GENERATED = "apertur_api"
"""The package whose docstrings are in Google style."""


def _short(target: str, full: str) -> str:
    return target.rsplit(".", 1)[-1] if full.startswith(":") and "`~" in full else target


def to_markdown(text: str) -> str:
    """``text`` with RST inline literals, roles and ``::`` turned into Markdown."""
    text = _ROLE.sub(lambda m: f"`{_short(m.group(1), m.group(0))}`", text)
    text = _LITERAL.sub(lambda m: f"`{m.group(1)}`", text)
    return _LITERAL_BLOCK.sub(lambda m: f"{m.group(1)}:\n", text)


def _entries(block: list[str]) -> list[str]:
    """The entries of a section (a line at the block's indentation starts one; deeper lines
    continue it), each on one line."""
    entries: list[str] = []
    for line in textwrap.dedent("\n".join(block)).splitlines():
        if not line.strip():
            continue
        if line[0] == " " and entries:
            entries[-1] += " " + line.strip()
        else:
            entries.append(line.strip())
    return entries


def _item(entry: str, title: str) -> str:
    """One entry as a list item: ``name (type): text`` → ``- `name` (type): text``."""
    match = _ENTRY.match(entry)
    if title == "Returns" or match is None:
        return f"- {entry}"
    return f"- `{match['name']}`{match['kind'] or ''}: {match['text']}"


def _example(block: list[str]) -> str:
    """An example value laid out again (the generator wraps its repr at 120 columns)."""
    text = textwrap.dedent("\n".join(block)).strip("\n")
    try:
        value = ast.literal_eval(" ".join(text.split("\n")))
    except (ValueError, SyntaxError):
        return text
    return pprint.pformat(value, width=88, sort_dicts=False)


def google_sections_to_markdown(text: str) -> str:
    """``text`` with its Google-style sections as Markdown (see the module docstring)."""
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        match = _SECTION.match(lines[index])
        if match is None:
            out.append(lines[index])
            index += 1
            continue
        depth = len(match["indent"])
        block: list[str] = []
        index += 1
        while index < len(lines) and (
            not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) > depth
        ):
            block.append(lines[index])
            index += 1
        while block and not block[-1].strip():
            block.pop()
        title = match["title"]
        out += ["", f"**{title}:**", ""]
        if title.startswith("Example"):
            out += ["```python", _example(block), "```"]
        else:
            out += [_item(entry, title) for entry in _entries(block)]
        out.append("")
    return "\n".join(out).strip("\n")


class RstInline(griffe.Extension):
    """Convert every docstring as it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None:
            return
        text = obj.docstring.value
        if obj.path.split(".", 1)[0] == GENERATED:
            text = google_sections_to_markdown(text)
        obj.docstring.value = to_markdown(text)
