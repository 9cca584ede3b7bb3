"""Write docs/operations.md: every operation of openapi.yaml and the client method that calls it.

Run by ``make regenerate`` after the generator (it reads the generated index of SDK methods,
``apertur_api.api.OPERATIONS``); ``make check-generated`` fails when the file drifts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.strings import PythonIdentifier

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("get", "put", "post", "patch", "delete")
HEADER = """\
# Operations

Generated from `openapi.yaml` by `make regenerate` (`codegen/operations_doc.py`): do not edit.
The generated endpoint functions live at `apertur_api.api.<tag>.<operationId in snake_case>`;
the client method is `Apertur().<namespace>.<method>` (the same on `AsyncApertur`, awaited).
Methods marked *hand-written* are written in `apertur_ext`; every other one is generated, with
the body fields as keyword arguments.

| method & path | operationId | tag | request | success | client method |
|---|---|---|---|---|---|
"""
FOOTER = """
Both event streams carry the same Server-Sent Events; `events.subscribe` reads
`streamSessionEvents` (the API key in the `Authorization` header, resuming with
`Last-Event-ID`), or Socket.IO with `transport="socketio"`. `streamUploadEvents` needs no key: it
is what the upload page's own scripts and the official Node SDK read.

Every error status answers the `Error` schema `{message, code?}`; 429 and 503 carry
`Retry-After`. The client raises them as typed exceptions (see the README); the generated
functions called with `client.api` return them parsed.
"""


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _schema_text(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return _name(schema["$ref"])
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return _name(schema["items"]["$ref"]) + "[]"
    if schema.get("format") == "binary":
        return "binary"
    return str(schema.get("type", "object"))


def _parameters(spec: dict[str, Any], op: dict[str, Any], where: str) -> list[str]:
    names = []
    for param in op.get("parameters", []):
        if "$ref" in param:
            param = spec["components"]["parameters"][_name(param["$ref"])]
        if param["in"] == where:
            names.append(param["name"])
    return names


def _request(spec: dict[str, Any], op: dict[str, Any]) -> str:
    parts = []
    for media, body in op.get("requestBody", {}).get("content", {}).items():
        kind = {"application/json": "", "multipart/form-data": "multipart "}.get(media, media + " ")
        optional = "" if op["requestBody"].get("required") else " (optional)"
        parts.append(f"{kind}{_schema_text(body['schema'])}{optional}")
    for where in ("query", "header"):
        names = _parameters(spec, op, where)
        if names:
            parts.append(f"{where} {', '.join(names)}")
    return "; ".join(parts) or "\u2013"


def _success(spec: dict[str, Any], op: dict[str, Any]) -> str:
    for status, response in op["responses"].items():
        if "$ref" in response:  # a shared response (components/responses)
            response = spec["components"]["responses"][_name(response["$ref"])]
        if str(status).startswith("2"):
            content = response.get("content", {})
            media = next(iter(content), None)
            if media is None:
                return str(status)
            if media == "text/event-stream":
                return f"{status} event stream"
            return f"{status} {_schema_text(content[media]['schema'])}"
    return "\u2013"


def render(spec: dict[str, Any], index: dict[str, tuple[str, str, bool]]) -> str:
    """The whole document for ``spec``, with SDK methods from the generated ``index``."""
    rows = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            namespace, sdk_method, generated = index[PythonIdentifier(op["operationId"], "field_")]
            call = f"`{namespace}.{sdk_method}`" + ("" if generated else " *hand-written*")
            rows.append(
                f"| {method.upper()} {path} | {op['operationId']} | {op['tags'][0]} | "
                f"{_request(spec, op)} | {_success(spec, op)} | {call} |"
            )
    return HEADER + "\n".join(rows) + "\n" + FOOTER


def main() -> None:
    sys.path.insert(0, str(ROOT / "generated"))
    from apertur_api.api import OPERATIONS

    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text("utf-8"))
    (ROOT / "docs" / "operations.md").write_text(render(spec, OPERATIONS), "utf-8")


if __name__ == "__main__":
    main()
