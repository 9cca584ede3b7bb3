"""MkDocs hook: the reference of the client's namespaces, found from the client itself.

``<!-- API namespaces: apertur_ext.Apertur -->`` becomes one section per namespace of a client
(``client.sessions``, ``client.upload``, ...): its name and a mkdocstrings block for the class that
implements it, wherever that class lives. A namespace added later, or a class moved to another
module, is documented without editing the page.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

MARKER = re.compile(r"<!-- API namespaces: (?P<client>[\w.]+) -->")
_OPTIONS = """
    options:
      show_root_heading: true
      show_root_full_path: false
      heading_level: 3
      inherited_members: true
      members_order: source
"""


def namespaces(client_path: str) -> list[tuple[str, type]]:
    """``[(attribute name, class)]`` for the namespaces of the client class at ``client_path``."""
    module, _, name = client_path.rpartition(".")
    client_class = getattr(importlib.import_module(module), name)
    client = client_class(api_key="aptr_test_docs", base_url="http://127.0.0.1:9")
    try:
        found = []
        for attribute in sorted(dir(client)):
            if attribute.startswith("_"):
                continue
            value = getattr(client, attribute)
            kind = type(value)
            if not callable(value) and kind.__module__.startswith(("apertur_ext", "apertur_api")):
                found.append((attribute, kind))
        return found
    finally:
        client.close()


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace each marker with the namespace sections."""

    def expand(match: re.Match[str]) -> str:
        parts = []
        for attribute, kind in namespaces(match["client"]):
            parts.append(
                f"## `client.{attribute}`\n\n::: {kind.__module__}.{kind.__qualname__}{_OPTIONS}"
            )
        return "\n".join(parts)

    return MARKER.sub(expand, markdown)
