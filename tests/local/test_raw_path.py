"""Routing on the raw path: an encoded slash stays inside its path segment."""

from __future__ import annotations

import httpx
import pytest

from apertur_local import LocalApertur
from apertur_local._raw_path import path_keeping_encoded_slashes


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        (b"/api/v1/upload/a%2Fb/session", "/api/v1/upload/a%2Fb/session"),
        (b"/api/v1/upload/a%2fb%20c/session", "/api/v1/upload/a%2Fb c/session"),
        (b"/api/v1/upload/%2E%2E/session", "/api/v1/upload/../session"),
        (b"/plain/path", "/plain/path"),
    ],
)
def test_decodes_everything_but_encoded_slashes(raw: bytes, path: str) -> None:
    assert path_keeping_encoded_slashes(raw) == path


def test_an_id_with_an_encoded_slash_reaches_its_endpoint(api: httpx.Client) -> None:
    reply = api.get("/api/v1/upload/a%2Fb/session")
    assert reply.status_code == 404
    assert reply.json()["message"] == "Session not found"


def test_ordinary_paths_still_route(api: httpx.Client, apertur_local: LocalApertur) -> None:
    assert api.get("/api/v1/stats").status_code == 200
