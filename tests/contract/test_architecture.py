"""The layout rules that keep the architecture readable, checked rather than hoped for.

- imports flow one way: generated ← apertur_ext ← apertur_cli; apertur_local shares the spec,
  not the client's code (it imports neither apertur_api nor apertur_ext);
- hand-written modules stay small (hard cap 400 lines).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "apertur_api": ROOT / "generated" / "apertur_api",
    "apertur_ext": ROOT / "apertur_ext",
    "apertur_local": ROOT / "apertur_local",
    "apertur_cli": ROOT / "apertur_cli",
}
FORBIDDEN = {
    "apertur_api": {"apertur_ext", "apertur_local", "apertur_cli"},
    "apertur_ext": {"apertur_local", "apertur_cli"},
    "apertur_local": {"apertur_api", "apertur_ext", "apertur_cli"},
    "apertur_cli": set(),
}
MAX_LINES = 400


def _modules(package: str) -> list[Path]:
    return sorted(PACKAGES[package].rglob("*.py"))


def _imported_packages(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_imports_flow_one_way(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_packages(path) & FORBIDDEN[package])
        for path in _modules(package)
        if _imported_packages(path) & FORBIDDEN[package]
    }
    assert offenders == {}


@pytest.mark.parametrize("package", ["apertur_ext", "apertur_local", "apertur_cli"])
def test_hand_written_modules_are_small(package: str) -> None:
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in _modules(package)
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}
