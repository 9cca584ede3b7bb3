"""The pull queue P1-P3 and the upload history H1-H3."""

from __future__ import annotations

import httpx
from localhelpers import create_session, make_jpeg_header, make_png, upload


def test_poll_download_ack(api: httpx.Client) -> None:
    sid = create_session(api, long_polling=True)
    first = upload(api, sid, make_png(), filename="a.png").json()
    second = upload(api, sid, make_jpeg_header(), filename="b.jpg").json()
    images = api.get(f"/api/v1/upload-sessions/{sid}/poll").json()["images"]
    assert [i["id"] for i in images] == [first["id"], second["id"]]
    assert set(images[0]) == {"id", "filename", "size_bytes", "mime_type", "source", "created_at"}
    download = api.get(f"/api/v1/upload-sessions/{sid}/images/{second['id']}")
    assert download.headers["content-type"] == "image/jpeg"
    assert download.content == make_jpeg_header()
    ack = api.post(f"/api/v1/upload-sessions/{sid}/images/{first['id']}/ack")
    assert ack.status_code == 200
    assert ack.json() == {"status": "acknowledged"}
    remaining = api.get(f"/api/v1/upload-sessions/{sid}/poll").json()["images"]
    assert [i["id"] for i in remaining] == [second["id"]]
    again = api.post(f"/api/v1/upload-sessions/{sid}/images/{first['id']}/ack")
    assert again.status_code == 409
    assert again.json()["code"] == "CONFLICT"


def test_ack_body_variants(api: httpx.Client) -> None:
    sid = create_session(api, long_polling=True)
    ids = [upload(api, sid, make_png()).json()["id"] for _ in range(4)]
    url = f"/api/v1/upload-sessions/{sid}/images/{{}}/ack"
    json_empty = {"Content-Type": "application/json"}
    assert api.post(url.format(ids[0]), json={}).status_code == 200
    assert api.post(url.format(ids[1]), content=b"", headers=json_empty).status_code == 200
    assert api.post(url.format(ids[2]), content=b"  ", headers=json_empty).status_code == 200
    assert api.post(url.format(ids[3]), json={"extra": 1}).status_code == 400
    assert api.post(url.format(ids[3]), content=b"{", headers=json_empty).status_code == 400


def test_unknown_ids_are_404(api: httpx.Client) -> None:
    sid = create_session(api, long_polling=True)
    other = create_session(api, long_polling=True)
    image = upload(api, other, make_png()).json()["id"]
    assert api.get(f"/api/v1/upload-sessions/{sid}/images/img_nope").status_code == 404
    assert api.get(f"/api/v1/upload-sessions/{sid}/images/{image}").status_code == 404
    assert api.post(f"/api/v1/upload-sessions/{sid}/images/img_nope/ack").status_code == 404
    assert api.get("/api/v1/uploads/img_nope/download").status_code == 404


def test_polling_needs_a_long_polling_session(api: httpx.Client) -> None:
    sid = create_session(api)
    response = api.get(f"/api/v1/upload-sessions/{sid}/poll")
    assert response.status_code == 400
    assert "long_polling" in response.json()["message"]


def test_key_long_polling_makes_sessions_long_polling(api: httpx.Client) -> None:
    api.put(
        "/api/v1/keys/key_bootstrap/destinations",
        json={"destination_ids": [], "long_polling_enabled": True},
    )
    sid = create_session(api)
    assert upload(api, sid, make_png()).json()["long_polling"] is True
    assert len(api.get(f"/api/v1/upload-sessions/{sid}/poll").json()["images"]) == 1


def test_upload_history_and_download(api: httpx.Client) -> None:
    sid = create_session(api)
    ids = [upload(api, sid, make_png(i + 1, 1), filename=f"{i}.png").json()["id"] for i in range(3)]
    page = api.get("/api/v1/uploads", params={"page": 1, "pageSize": 2}).json()
    assert page["total"] == 3
    assert page["totalPages"] == 2
    assert [r["id"] for r in page["data"]] == [ids[2], ids[1]]
    row = page["data"][0]
    assert row["status"] == "stored_only"
    assert row["sessionId"] == sid
    assert row["mimeType"] == "image/png"
    assert row["isEncrypted"] is False
    assert row["destinationsTotal"] == 0
    assert row["destinationsBreakdown"] == []
    recent = api.get("/api/v1/uploads/recent", params={"limit": 1}).json()
    assert [r["id"] for r in recent] == [ids[2]]
    download = api.get(f"/api/v1/uploads/{ids[0]}/download")
    assert download.status_code == 200
    assert download.content == make_png(1, 1)
    assert download.headers["content-type"] == "image/png"
    assert api.get("/api/v1/uploads", params={"pageSize": 0}).status_code == 400


def test_stats_and_server_key(api: httpx.Client) -> None:
    sid = create_session(api)
    upload(api, sid, make_png())
    stats = api.get("/api/v1/stats").json()
    assert stats["sessionsInRange"] == stats["sessionsThisMonth"] == 1
    assert stats["sessionsTotal"] == 1
    assert stats["imagesUploaded"] == 1
    assert stats["activeKeys"] == 1
    assert stats["totalProjects"] == 1
    assert stats["topProjects"] == [{"id": "proj_local", "name": "Local project", "sessions": 1}]
    key = api.get("/api/v1/encryption/server-key").json()["publicKey"]
    assert key == api.get("/api/v1/encryption/server-key").json()["publicKey"]
