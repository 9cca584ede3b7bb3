"""A griffe extension for the docs site: the docstrings' reStructuredText inline markup as Markdown.

The code's docstrings use ``literal`` and :role:`target` markup (read by people in editors and by
``help()``); mkdocstrings renders Markdown, so ``x`` becomes `x` and :class:`~a.b.C` becomes `C`,
and a paragraph ending in ``::`` (a literal block follows) ends in ``:``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:[a-z]+:)?[a-z]+:`~?(?:[^`<]*<)?([^`>]+)>?`")
_LITERAL = re.compile(r"``(.+?)``")
_LITERAL_BLOCK = re.compile(r"(\S)::\n")


def _short(target: str, full: str) -> str:
    return target.rsplit(".", 1)[-1] if full.startswith(":") and "`~" in full else target


def to_markdown(text: str) -> str:
    """``text`` with RST inline literals, roles and ``::`` turned into Markdown."""
    text = _ROLE.sub(lambda m: f"`{_short(m.group(1), m.group(0))}`", text)
    text = _LITERAL.sub(lambda m: f"`{m.group(1)}`", text)
    return _LITERAL_BLOCK.sub(lambda m: f"{m.group(1)}:\n", text)


class RstInline(griffe.Extension):
    """Convert every docstring as it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)
