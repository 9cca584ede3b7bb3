"""Sessions S1-S5, S7-S9: options, password, update, lists, QR codes, share, expiry."""

from __future__ import annotations

import httpx
import pytest
from localhelpers import create_session, make_png, upload

from apertur_local import LocalApertur


def test_create_session_result_shape(api: httpx.Client, apertur_local: LocalApertur) -> None:
    response = api.post(
        "/api/v1/upload-sessions",
        json={"long_polling": True, "tags": ["order-1"], "password": "pw", "expires_in_hours": 2},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == body["uuid"]
    assert body["upload_url"] == f"{apertur_local.url}/u/{body['id']}"
    assert body["qr_url"].endswith(f"/api/v1/upload-sessions/{body['id']}/qr")
    assert body["qr_specs"]["formats"] == ["png", "svg", "jpeg"]
    assert body["long_polling"] is True
    assert body["password_protected"] is True
    assert body["env"] == "test"
    assert body["destinations"] == []
    page = httpx.get(body["upload_url"])
    assert page.status_code == 200
    assert body["id"] in page.text
    short = httpx.get(body["short_url"], follow_redirects=False)
    assert short.status_code == 302
    assert short.headers["location"] == f"/u/{body['id']}"


def test_get_session_reflects_options(api: httpx.Client) -> None:
    sid = create_session(
        api,
        tags=["t"],
        max_images=3,
        allowed_mime_types=["image/png"],
        max_image_dimension=100,
        expires_at="2099-01-02T03:04:05Z",
    )
    session = api.get(f"/api/v1/upload/{sid}/session").json()
    assert session["status"] == "active"
    assert session["expiresAt"] == "2099-01-02T03:04:05.000Z"
    assert session["tags"] == ["t"]
    assert session["imagesPerSession"] == 3
    assert session["effectiveMaxImages"] == 3
    assert session["effectiveAllowedMimeTypes"] == ["image/png"]
    assert session["effectiveMaxImageDimension"] == 100
    assert session["password_protected"] is False
    assert session["serverPublicKey"].startswith("-----BEGIN PUBLIC KEY-----")


@pytest.mark.parametrize(
    "body",
    [
        [],
        "x",
        {"max_images": 0},
        {"max_images": "2"},
        {"long_polling": "yes"},
        {"tags": "a"},
        {"tags": [1]},
        {"expires_in_hours": 0},
        {"expires_at": "tomorrow"},
        {"expires_at": "2099-01-01T00:00:00"},
        {"allowed_mime_types": ["image/bmp"]},
        {"password": 123},
        {"metadata": []},
        {"max_image_dimension": True},
    ],
)
def test_create_session_rejects_bad_bodies(api: httpx.Client, body: object) -> None:
    response = api.post("/api/v1/upload-sessions", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"


def test_create_session_with_non_json_body(api: httpx.Client) -> None:
    response = api.post(
        "/api/v1/upload-sessions",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert api.post("/api/v1/upload-sessions").status_code == 400


def test_unknown_destination_is_404(api: httpx.Client) -> None:
    response = api.post("/api/v1/upload-sessions", json={"destination_ids": ["dest_missing"]})
    assert response.status_code == 404


def test_unknown_session_is_404(api: httpx.Client) -> None:
    for path in (
        "/api/v1/upload/nope/session",
        "/api/v1/upload-sessions/nope/qr",
        "/api/v1/upload-sessions/nope/delivery-status",
        "/api/v1/upload-sessions/nope/poll",
    ):
        assert api.get(path).status_code == 404
    assert api.patch("/api/v1/upload-sessions/nope", json={}).status_code == 404


def test_password_protection(api: httpx.Client) -> None:
    sid = create_session(api, password="s3cret")
    verify = f"/api/v1/upload/{sid}/verify-password"
    assert api.post(verify, json={"password": "s3cret"}).json() == {"valid": True}
    assert api.post(verify, json={"password": "nope"}).json() == {"valid": False}
    assert api.post(verify, json={}).status_code == 400
    missing = upload(api, sid, make_png())
    assert missing.status_code == 403
    wrong = upload(api, sid, make_png(), headers={"x-session-password": "nope"})
    assert wrong.status_code == 403
    right = upload(api, sid, make_png(), headers={"x-session-password": "s3cret"})
    assert right.status_code == 201
    # null removes the protection
    patched = api.patch(f"/api/v1/upload-sessions/{sid}", json={"password": None})
    assert patched.json()["password_protected"] is False
    assert upload(api, sid, make_png()).status_code == 201
    assert api.post(verify, json={"password": "anything"}).json() == {"valid": True}


def test_update_session(api: httpx.Client) -> None:
    sid = create_session(api, max_images=1)
    assert upload(api, sid, make_png()).status_code == 201
    assert api.get(f"/api/v1/upload/{sid}/session").json()["status"] == "completed"
    response = api.patch(
        f"/api/v1/upload-sessions/{sid}",
        json={"max_images": 3, "allowed_mime_types": ["image/jpeg"], "max_image_size_mb": 5},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "active"
    assert body["effectiveMaxImages"] == 3
    assert body["effectiveAllowedMimeTypes"] == ["image/jpeg"]
    assert api.patch(f"/api/v1/upload-sessions/{sid}", json={"max_images": 0}).status_code == 400
    assert api.patch(f"/api/v1/upload-sessions/{sid}", json={"password": 5}).status_code == 400
    assert api.patch(f"/api/v1/upload-sessions/{sid}", json=[1]).status_code == 400


def test_expired_session(api: httpx.Client) -> None:
    sid = create_session(api, expires_at="2020-01-01T00:00:00Z")
    assert api.get(f"/api/v1/upload/{sid}/session").json()["status"] == "expired"
    response = upload(api, sid, make_png())
    assert response.status_code == 410
    assert response.json()["code"] == "GONE"
    verify = api.post(f"/api/v1/upload/{sid}/verify-password", json={"password": "x"})
    assert verify.status_code == 410
    # extending the expiry revives it
    api.patch(f"/api/v1/upload-sessions/{sid}", json={"expires_at": "2099-01-01T00:00:00+02:00"})
    assert upload(api, sid, make_png()).status_code == 201


def test_expiry_by_advancing_the_clock(api: httpx.Client, apertur_local: LocalApertur) -> None:
    sid = create_session(api, expires_in_hours=1)
    assert upload(api, sid, make_png()).status_code == 201
    advanced = httpx.post(apertur_local.url + "/_local/clock", json={"advance": 3601})
    assert advanced.status_code == 200
    assert upload(api, sid, make_png()).status_code == 410
    status = api.get(f"/api/v1/upload-sessions/{sid}/delivery-status").json()
    assert status["status"] == "expired"


def test_list_and_recent_sessions(api: httpx.Client) -> None:
    ids = [create_session(api, tags=[str(i)]) for i in range(5)]
    page = api.get("/api/v1/sessions", params={"page": 2, "pageSize": 2}).json()
    assert page["total"] == 5
    assert page["page"] == 2
    assert page["pageSize"] == 2
    assert page["totalPages"] == 3
    assert [row["id"] for row in page["data"]] == [ids[2], ids[1]]
    row = page["data"][0]
    assert row["projectId"] == "proj_local"
    assert row["env"] == "test"
    assert row["imagesCount"] == 0
    recent = api.get("/api/v1/sessions/recent", params={"limit": 3}).json()
    assert [r["id"] for r in recent] == ids[::-1][:3]
    assert api.get("/api/v1/sessions", params={"page": 0}).status_code == 400
    assert api.get("/api/v1/sessions", params={"pageSize": 101}).status_code == 400
    assert api.get("/api/v1/sessions/recent", params={"limit": "x"}).status_code == 400
    assert api.get("/api/v1/sessions/recent", params={"limit": 51}).status_code == 400


def test_qr_png_svg_jpeg(api: httpx.Client, apertur_local: LocalApertur) -> None:
    sid = create_session(api)
    url = f"/api/v1/upload-sessions/{sid}/qr"
    png = api.get(url)
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    svg = api.get(url, params={"format": "svg", "fg": "ff0000", "bg": "00ff00", "borderSize": 1})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content and b"#f00" in svg.content.lower() or b"red" in svg.content
    jpeg = api.get(url, params={"format": "jpeg", "size": 64, "borderColor": "0000ff"})
    assert jpeg.headers["content-type"] == "image/jpeg"
    assert jpeg.content.startswith(b"\xff\xd8")
    assert jpeg.content.endswith(b"\xff\xd9")
    big = api.get(url, params={"size": 1000})
    assert len(big.content) > len(png.content)


@pytest.mark.parametrize(
    "params",
    [
        {"format": "gif"},
        {"format": ""},
        {"size": 10},
        {"size": "big"},
        {"fg": "red"},
        {"bg": "#ffffff"},
        {"borderSize": -1},
        {"borderColor": "12345"},
        {"style": "dots"},
    ],
)
def test_qr_rejects_bad_options(api: httpx.Client, params: dict[str, object]) -> None:
    sid = create_session(api)
    assert api.get(f"/api/v1/upload-sessions/{sid}/qr", params=params).status_code == 400


def test_share_is_recorded(api: httpx.Client, apertur_local: LocalApertur) -> None:
    sid = create_session(api)
    url = f"/api/v1/upload-sessions/{sid}/share"
    email = api.post(url, json={"channel": "email", "recipient": "a@example.com", "note": "hi"})
    assert email.status_code == 200
    body = email.json()
    assert body["ok"] is True
    assert body["channel"] == "email"
    assert body["recipient"] == "a@example.com"
    assert body["short_url"].startswith(apertur_local.url + "/s/")
    sms = api.post(url, json={"channel": "sms", "recipient": "+15145550100", "sms_consent": True})
    assert sms.status_code == 200
    no_consent = api.post(url, json={"channel": "sms", "recipient": "+15145550100"})
    assert no_consent.status_code == 400
    assert "sms_consent" in no_consent.json()["message"]
    assert api.post(url, json={"channel": "fax", "recipient": "x"}).status_code == 400
    assert api.post(url, json={"channel": "email", "recipient": "not-an-email"}).status_code == 400
    assert api.post(url, json={"channel": "email"}).status_code == 400
