"""docs/operations.md is what codegen/operations_doc.py makes of openapi.yaml (no hand edits)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

from apertur_api.api import OPERATIONS

ROOT = Path(__file__).resolve().parents[2]


def _render() -> str:
    spec = importlib.util.spec_from_file_location(
        "operations_doc", ROOT / "codegen" / "operations_doc.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    openapi = yaml.safe_load((ROOT / "openapi.yaml").read_text("utf-8"))
    return str(module.render(openapi, OPERATIONS))


def test_operations_doc_matches_the_spec() -> None:
    assert (ROOT / "docs" / "operations.md").read_text("utf-8") == _render()


def test_every_operation_is_listed_once() -> None:
    text = (ROOT / "docs" / "operations.md").read_text("utf-8")
    openapi = yaml.safe_load((ROOT / "openapi.yaml").read_text("utf-8"))
    ids = [op["operationId"] for item in openapi["paths"].values() for op in item.values()]
    for op_id in ids:
        assert text.count(f"| {op_id} |") == 1, op_id
