"""Tests for apertur_local._multipart_form: bodies parse back with Starlette's form parser."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.datastructures import UploadFile
from starlette.requests import Request

from apertur_local._multipart_form import multipart_body

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _parse(body: bytes, content_type: str) -> Any:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(b"content-type", content_type.encode())],
    }
    return await Request(scope, receive).form()


async def test_round_trip_fields_and_file() -> None:
    data = bytes(range(256)) * 4
    body, content_type = multipart_body(
        [("session_id", "s1"), ("tags", "a"), ("tags", "b"), ("note", "é ü")],
        "image",
        "photo.png",
        "image/png",
        data,
        boundary="fixedboundary",
    )
    assert content_type == "multipart/form-data; boundary=fixedboundary"
    assert body.startswith(b"--fixedboundary\r\n")
    assert body.endswith(b"--fixedboundary--\r\n")
    form = await _parse(body, content_type)
    assert form["session_id"] == "s1"
    assert form.getlist("tags") == ["a", "b"]
    assert form["note"] == "é ü"
    upload = form["image"]
    assert isinstance(upload, UploadFile)
    assert upload.filename == "photo.png"
    assert upload.content_type == "image/png"
    assert await upload.read() == data
    await form.close()


async def test_hostile_filename_cannot_inject_headers_or_parts() -> None:
    hostile = 'x"; name="session_id"\r\nContent-Type: text/html\r\n\r\nboo'
    body, content_type = multipart_body(
        [("session_id", "real")], "image", hostile, "image/jpeg", b"j"
    )
    assert b"\r\nContent-Type: text/html" not in body
    form = await _parse(body, content_type)
    assert form.getlist("session_id") == ["real"]
    upload = form["image"]
    assert isinstance(upload, UploadFile)
    assert upload.content_type == "image/jpeg"
    assert await upload.read() == b"j"
    await form.close()


def test_random_boundary_each_time() -> None:
    _, first = multipart_body([], "f", "a", "image/png", b"")
    _, second = multipart_body([], "f", "a", "image/png", b"")
    assert first != second
