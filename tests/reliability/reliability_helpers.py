"""Helpers shared by the tests in tests/reliability (imported as ``reliability_helpers``)."""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text("utf-8"))
METHODS = ("get", "post", "put", "patch", "delete")


def make_png(seed: int = 0, width: int = 4, height: int = 3) -> bytes:
    """A valid RGB PNG whose pixels (and so hash) depend on ``seed``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    pixel = hashlib.sha256(str(seed).encode()).digest()[:3]
    raw = b"".join(b"\x00" + pixel * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def operations() -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(METHOD, path template, operationId, operation) for every operation in openapi.yaml."""
    for path, item in SPEC["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                yield method.upper(), path, op["operationId"], op


@attrs.frozen
class SdkOperation:
    """An operation of openapi.yaml and the SDK method that calls it (from the generated index)."""

    operation_id: str
    method: str
    path: str
    namespace: str
    sdk_method: str
    spec: dict[str, Any]

    @property
    def path_params(self) -> list[str]:
        """The path parameters' wire names, in path order."""
        return re.findall(r"\{(\w+)\}", self.path)

    def bound(self, client: Any) -> Any:
        return getattr(getattr(client, self.namespace), self.sdk_method)


def is_event_stream(op: dict[str, Any]) -> bool:
    """Whether the operation answers a Server-Sent Events stream (no request-response method:
    the client's event subscription reads it)."""
    response = op["responses"].get("200", {})
    if "$ref" in response:
        response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return "text/event-stream" in response.get("content", {})


def sdk_operations() -> list[SdkOperation]:
    """Every request-response operation of openapi.yaml with the client method that calls it."""
    from openapi_python_client.strings import PythonIdentifier

    from apertur_api.api import OPERATIONS

    found = []
    for method, path, op_id, op in operations():
        if is_event_stream(op):
            continue
        namespace, sdk_method, _generated = OPERATIONS[PythonIdentifier(op_id, "field_")]
        found.append(SdkOperation(op_id, method, path, namespace, sdk_method, op))
    return found


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _example(schema: dict[str, Any], prop: dict[str, Any], name: str) -> Any:
    prop = _resolve(prop)
    if "example" in prop:
        return prop["example"]
    if "enum" in prop:
        return prop["enum"][0]
    return schema.get("example", {}).get(name, "x")


def sample_arguments(op: SdkOperation, path_values: dict[str, str]) -> dict[str, Any]:
    """Keyword arguments for ``op``'s SDK method: the given path values (``"x"`` for the others)
    and the spec's example for every required body field and query parameter."""
    from openapi_python_client.strings import PythonIdentifier

    def arg(wire: str) -> str:
        return PythonIdentifier(wire, "field_").removesuffix("_")

    kwargs: dict[str, Any] = {arg(p): path_values.get(p, "x") for p in op.path_params}
    for param in op.spec.get("parameters", []):
        param = param if "$ref" not in param else _parameter(param["$ref"])
        if param["in"] == "query" and param.get("required"):
            kwargs[arg(param["name"])] = _example({}, param["schema"], param["name"])
    content = op.spec.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema")
    if body is not None:
        schema = _resolve(body)
        for name in schema.get("required", []):
            kwargs[arg(name)] = _example(schema, schema["properties"][name], name)
    return kwargs


def _parameter(ref: str) -> dict[str, Any]:
    return dict(SPEC["components"]["parameters"][ref.rsplit("/", 1)[-1]])


def is_protected(op: dict[str, Any]) -> bool:
    """Whether the operation requires a credential (global security unless overridden)."""
    security = op.get("security", SPEC.get("security", []))
    return bool(security) and {} not in security


def tree(root: Path) -> list[Path]:
    """Every file below ``root`` (sorted)."""
    return sorted(p for p in root.rglob("*") if p.is_file())


class CountingBody:
    """A request body generator of ``total`` bytes that stops the test past ``guard`` bytes.

    ``consumed`` says how much of it the client was asked to send. The guard keeps a server that
    reads everything from making the test send gigabytes: it raises :class:`GuardReached`.
    """

    CHUNK = 64 * 1024

    def __init__(self, total: int, guard: int, prefix: bytes = b"") -> None:
        self.total = total
        self.guard = guard
        self.prefix = prefix
        self.consumed = 0

    def __iter__(self) -> Iterator[bytes]:
        if self.prefix:
            self.consumed += len(self.prefix)
            yield self.prefix
        block = b"\0" * self.CHUNK
        while self.consumed < self.total:
            if self.consumed > self.guard:
                raise GuardReached(f"the server kept reading: {self.consumed} bytes sent")
            self.consumed += len(block)
            yield block


class GuardReached(Exception):
    """The server read far beyond its limit (see :class:`CountingBody`)."""


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create_session(client: httpx.Client, **options: Any) -> str:
    response = client.post("/api/v1/upload-sessions", json=options)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def upload(
    client: httpx.Client, session_id: str, data: bytes, filename: str = "photo.png"
) -> httpx.Response:
    return client.post(
        f"/api/v1/upload/{session_id}/images",
        files={"file": (filename, data, "image/png")},
    )
