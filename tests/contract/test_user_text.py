"""User-facing text cites no internal notes: no "§" and no "facts" in what users read.

Users read the spec's descriptions (they become the generated docstrings), the generated code,
the docstrings, help and messages of apertur_ext, apertur_cli and apertur_local, and the README.
Sources and decisions belong in comments (YAML comments in openapi.yaml).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = re.compile(r"§|\bfacts\b|header comment", re.IGNORECASE)
PACKAGES = ["apertur_ext", "apertur_cli", "apertur_local"]


def _spec_text(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary", "title") and isinstance(value, str):
                yield f"{path}/{key}", value
            else:
                yield from _spec_text(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _spec_text(value, f"{path}[{index}]")


def _strings(path: Path) -> Iterator[tuple[int, str]]:
    """Every string literal of a module: docstrings, help texts, messages."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_spec_descriptions_are_user_documentation() -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text("utf-8"))
    cited = {where: text for where, text in _spec_text(spec) if INTERNAL.search(text)}
    assert cited == {}


def test_generated_code_cites_no_notes() -> None:
    cited = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "generated" / "apertur_api").rglob("*.py"))
        if INTERNAL.search(path.read_text("utf-8"))
    ]
    assert cited == []


@pytest.mark.parametrize("package", PACKAGES)
def test_docstrings_help_and_messages_cite_no_notes(package: str) -> None:
    cited = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, text in _strings(path)
        if INTERNAL.search(text)
    ]
    assert cited == []


def test_readme_cites_no_notes() -> None:
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    assert [n for n, line in enumerate(lines, 1) if INTERNAL.search(line)] == []
