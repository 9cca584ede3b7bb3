"""Every failure is ``{message, code}`` with the right status; bad input never becomes a 500."""

from __future__ import annotations

import httpx
import pytest
from localhelpers import create_session

from apertur_local import LocalApertur


def test_unknown_route_is_404_json(api: httpx.Client) -> None:
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {
        "message": "No route for GET /api/v1/nothing-here",
        "code": "NOT_FOUND",
    }


def test_wrong_method_is_405_json_with_allow(
    api: httpx.Client, apertur_local: LocalApertur
) -> None:
    response = api.put(f"/api/v1/projects/{apertur_local.project_id}/destinations")
    assert response.status_code == 405
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


@pytest.mark.parametrize(
    "raw",
    [
        b"[1]",
        b'"text"',
        b"null",
        b"{",
        b"\xff\xfe",
        b'{"tags": ["\\ud800"]}',
        b'{"max_images": 1e400}',
        b"{}" * 1,
    ],
)
def test_json_bodies_that_are_not_usable_objects(api: httpx.Client, raw: bytes) -> None:
    response = api.post(
        "/api/v1/upload-sessions", content=raw, headers={"Content-Type": "application/json"}
    )
    if raw == b"{}":
        assert response.status_code == 201
        return
    assert response.status_code == 400
    assert set(response.json()) == {"message", "code"}


def test_huge_query_numbers_are_400(api: httpx.Client) -> None:
    assert api.get("/api/v1/sessions", params={"page": "9" * 5000}).status_code == 400
    assert api.get("/api/v1/sessions", params={"page": "1.5"}).status_code == 400
    assert api.get("/api/v1/sessions", params={"page": 10**9}).json()["data"] == []


def test_odd_path_ids_are_404(api: httpx.Client) -> None:
    for sid in ("%00", "..%2f..", "a" * 500, "%ED%A0%80"):
        assert api.get(f"/api/v1/upload/{sid}/session").status_code == 404


def test_far_future_and_past_dates_are_fine(api: httpx.Client) -> None:
    sid = create_session(api, expires_at="9999-12-31T23:59:59+00:00")
    assert (
        api.get(f"/api/v1/upload/{sid}/session").json()["expiresAt"] == "9999-12-31T23:59:59.000Z"
    )
    sid = create_session(api, expires_in_hours=10**30)
    assert api.get(f"/api/v1/upload/{sid}/session").json()["status"] == "active"
    sid = create_session(api, expires_at="0001-01-01T00:00:00+14:00")
    assert api.get(f"/api/v1/upload/{sid}/session").json()["status"] == "expired"
