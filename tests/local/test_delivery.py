"""Destinations D1-D5, image delivery to webhooks (all formats, signed, retried), simulated types,
and delivery status S6 with long polling."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator

import httpx
import pytest
from localhelpers import Receiver, client_for, create_session, make_png, upload, wait_until
from python_multipart.multipart import parse_options_header

from apertur_local import LocalApertur


@pytest.fixture(scope="module")
def fast_server() -> Iterator[LocalApertur]:
    with LocalApertur(
        delivery_retry_intervals=(0.05, 0.05), simulated_delivery_delay=0.01, long_poll_hold=0.5
    ) as server:
        yield server


@pytest.fixture
def client(fast_server: LocalApertur) -> Iterator[httpx.Client]:
    fast_server.reset()
    with client_for(fast_server) as c:
        yield c


def dest_url(server: LocalApertur) -> str:
    return f"/api/v1/projects/{server.project_id}/destinations"


def make_webhook(client: httpx.Client, server: LocalApertur, url: str, **config: str) -> dict:
    response = client.post(
        dest_url(server), json={"type": "webhook", "name": "hook", "config": {"url": url, **config}}
    )
    assert response.status_code == 201, response.text
    return response.json()


def final_status(client: httpx.Client, sid: str) -> dict:
    def done() -> dict | None:
        status = client.get(f"/api/v1/upload-sessions/{sid}/delivery-status").json()
        rows = [d for f in status["files"] for d in f["destinations"]]
        return status if rows and all(d["status"] in ("sent", "failed") for d in rows) else None

    return wait_until(done)


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def test_destination_crud(client: httpx.Client, fast_server: LocalApertur) -> None:
    url = dest_url(fast_server)
    created = make_webhook(client, fast_server, "http://127.0.0.1:9/x")
    assert created["config"]["format"] == "json_base64"
    assert len(created["config"]["secret"]) == 64
    s3 = client.post(url, json={"type": "s3", "name": "bucket", "config": {"bucket": "b"}}).json()
    assert [d["id"] for d in client.get(url).json()] == [created["id"], s3["id"]]
    patched = client.patch(f"{url}/{created['id']}", json={"name": "renamed", "isActive": False})
    assert patched.json()["name"] == "renamed"
    assert patched.json()["isActive"] is False
    new_config = client.patch(
        f"{url}/{created['id']}",
        json={"config": {"url": "http://127.0.0.1:9/y", "format": "binary"}},
    ).json()["config"]
    assert new_config["secret"] == created["config"]["secret"]
    assert new_config["format"] == "binary"
    assert client.delete(f"{url}/{s3['id']}").status_code == 204
    assert client.delete(f"{url}/{s3['id']}").status_code == 404
    assert client.patch(f"{url}/{s3['id']}", json={"name": "x"}).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x"},
        {"type": "webhook"},
        {"type": "webhook", "name": "x"},
        {"type": "webhook", "name": "x", "config": {"url": "ftp://nope"}},
        {"type": "webhook", "name": "x", "config": {"url": "http://h/x", "format": "xml"}},
        {"type": "Not A Type", "name": "x"},
        {"type": "s3", "name": "x", "config": "bucket"},
    ],
)
def test_destination_validation(
    client: httpx.Client, fast_server: LocalApertur, body: dict
) -> None:
    assert client.post(dest_url(fast_server), json=body).status_code == 400


@pytest.mark.parametrize("fmt", ["json_base64", "multipart", "binary"])
def test_webhook_delivery_formats_are_signed(
    client: httpx.Client, fast_server: LocalApertur, receiver: Receiver, fmt: str
) -> None:
    dest = make_webhook(client, fast_server, receiver.url + "/in", format=fmt, secret="test_secret")
    sid = create_session(client, destination_ids=[dest["id"]], tags=["order-1"])
    data = make_png(5, 5)
    result = upload(client, sid, data, filename="p.png").json()
    assert result["destinations"] == 1
    (request,) = receiver.wait_for(1)
    assert request.path == "/in"
    assert signature_ok("test_secret", request.body, request.headers["x-apertur-signature"])
    assert request.headers["x-aptr-session-id"] == sid
    assert request.headers["x-aptr-image-id"] == result["id"]
    assert request.headers["x-aptr-image-index"] == "0"
    if fmt == "json_base64":
        payload = json.loads(request.body)
        assert base64.b64decode(payload["data"]) == data
        assert payload["tags"] == ["order-1"]
        assert payload["session_id"] == sid
        assert payload["mime_type"] == "image/png"
    elif fmt == "binary":
        assert request.body == data
        assert request.headers["content-type"] == "application/octet-stream"
    else:
        _, params = parse_options_header(request.headers["content-type"])
        assert params[b"boundary"].decode() in request.body.decode("latin-1")
        assert data in request.body
    status = final_status(client, sid)
    (row,) = status["files"][0]["destinations"]
    assert row == {
        "destination_id": dest["id"],
        "type": "webhook",
        "name": "hook",
        "status": "sent",
        "attempts": 1,
        "last_error": None,
    }
    history = client.get("/api/v1/uploads/recent").json()[0]
    assert history["status"] == "delivered"
    assert history["destinationsDelivered"] == 1


def test_webhook_retries_then_fails(
    client: httpx.Client, fast_server: LocalApertur, receiver: Receiver
) -> None:
    receiver.script = [500, 503, 500]
    dest = make_webhook(client, fast_server, receiver.url)
    sid = create_session(client, destination_ids=[dest["id"]])
    upload(client, sid, make_png())
    (row,) = final_status(client, sid)["files"][0]["destinations"]
    assert row["status"] == "failed"
    assert row["attempts"] == 3
    assert row["last_error"] == "HTTP 500"
    assert len(receiver.requests) == 3
    assert client.get("/api/v1/uploads/recent").json()[0]["status"] == "failed"


def test_webhook_retry_succeeds(
    client: httpx.Client, fast_server: LocalApertur, receiver: Receiver
) -> None:
    receiver.script = [502]
    dest = make_webhook(client, fast_server, receiver.url)
    sid = create_session(client, destination_ids=[dest["id"]])
    upload(client, sid, make_png())
    (row,) = final_status(client, sid)["files"][0]["destinations"]
    assert row["status"] == "sent"
    assert row["attempts"] == 2
    assert row["last_error"] is None


def test_unreachable_types_are_simulated(client: httpx.Client, fast_server: LocalApertur) -> None:
    url = dest_url(fast_server)
    ids = [
        client.post(url, json={"type": t, "name": t, "config": {}}).json()["id"]
        for t in ("s3", "google_drive", "dropbox")
    ]
    sid = create_session(client, destination_ids=ids)
    upload(client, sid, make_png())
    rows = final_status(client, sid)["files"][0]["destinations"]
    assert [r["status"] for r in rows] == ["sent"] * 3
    assert all(r["last_error"] is None and r["attempts"] == 1 for r in rows)
    assert client.get("/api/v1/stats").json()["deliverySuccessRate"] == 100.0
    breakdown = client.get("/api/v1/uploads").json()["data"][0]["destinationsBreakdown"]
    assert breakdown == [
        {"type": "dropbox", "count": 1},
        {"type": "google_drive", "count": 1},
        {"type": "s3", "count": 1},
    ]


def test_key_default_destinations_are_used(
    client: httpx.Client, fast_server: LocalApertur, receiver: Receiver
) -> None:
    dest = make_webhook(client, fast_server, receiver.url)
    client.put("/api/v1/keys/key_bootstrap/destinations", json={"destination_ids": [dest["id"]]})
    created = client.post("/api/v1/upload-sessions", json={}).json()
    assert created["destinations"] == [{"id": dest["id"], "type": "webhook", "name": "hook"}]
    upload(client, created["id"], make_png())
    assert len(receiver.wait_for(1)) == 1


def test_destination_test_endpoint(
    client: httpx.Client, fast_server: LocalApertur, receiver: Receiver
) -> None:
    dest = make_webhook(client, fast_server, receiver.url, secret="s")
    result = client.post(f"{dest_url(fast_server)}/{dest['id']}/test")
    assert result.status_code == 200
    assert result.json() == {"success": True, "status": 200, "message": "Test delivery sent"}
    (request,) = receiver.wait_for(1)
    assert signature_ok("s", request.body, request.headers["x-apertur-signature"])
    receiver.script = [500]
    failed = client.post(f"{dest_url(fast_server)}/{dest['id']}/test").json()
    assert failed == {"success": False, "status": 500, "error": "HTTP 500"}
    s3 = client.post(dest_url(fast_server), json={"type": "s3", "name": "b"}).json()
    simulated = client.post(f"{dest_url(fast_server)}/{s3['id']}/test").json()
    assert simulated["success"] is True
    assert "simulated" in simulated["message"]
    assert client.post(f"{dest_url(fast_server)}/dest_nope/test").status_code == 404


def test_unreachable_webhook_fails_with_error(
    client: httpx.Client, fast_server: LocalApertur
) -> None:
    dest = make_webhook(client, fast_server, "http://127.0.0.1:9/closed")
    sid = create_session(client, destination_ids=[dest["id"]])
    upload(client, sid, make_png())
    (row,) = final_status(client, sid)["files"][0]["destinations"]
    assert row["status"] == "failed"
    assert "Connect" in row["last_error"]


def test_delivery_status_long_poll(client: httpx.Client, fast_server: LocalApertur) -> None:
    sid = create_session(client, long_polling=True)
    url = f"/api/v1/upload-sessions/{sid}/delivery-status"
    first = client.get(url).json()
    assert first["files"] == []
    assert first["status"] == "active"
    # nothing happens: the hold (0.5 s here) passes and the unchanged snapshot comes back
    unchanged = client.get(url, params={"pollFrom": first["lastChanged"]}).json()
    assert unchanged == first
    # an upload during the hold releases it with the new file
    results: list[dict] = []
    poller = threading.Thread(
        target=lambda: results.append(
            client.get(url, params={"pollFrom": first["lastChanged"]}).json()
        )
    )
    with client_for(fast_server) as other:
        poller.start()
        upload(other, sid, make_png())
    poller.join(10)
    (changed,) = results
    assert len(changed["files"]) == 1
    assert changed["lastChanged"] > first["lastChanged"]
    assert client.get(url, params={"pollFrom": "yesterday"}).status_code == 400


def test_delivery_status_releases_on_expiry(fast_server: LocalApertur) -> None:
    with LocalApertur(long_poll_hold=30) as server, client_for(server) as c:
        sid = create_session(c)
        url = f"/api/v1/upload-sessions/{sid}/delivery-status"
        first = c.get(url).json()
        results: list[dict] = []
        poller = threading.Thread(
            target=lambda: results.append(
                c.get(url, params={"pollFrom": first["lastChanged"]}).json()
            )
        )
        poller.start()
        wait_until(lambda: c.get("/_local/state").status_code == 200)
        httpx.post(server.url + "/_local/clock", json={"advance": 25 * 3600})
        poller.join(10)
        assert results[0]["status"] == "expired"
        assert results[0]["lastChanged"] > first["lastChanged"]


def test_completed_session_status(client: httpx.Client) -> None:
    sid = create_session(client, max_images=1)
    upload(client, sid, make_png())
    assert (
        client.get(f"/api/v1/upload-sessions/{sid}/delivery-status").json()["status"] == "completed"
    )
