"""Event webhooks W1-W7: CRUD, signed events (hmac_sha256 and svix, checked with hmac here),
topics and aliases, retries, the delivery log, retry and auto-disable."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator

import httpx
import pytest
from localhelpers import Receiver, client_for, create_session, make_png, upload, wait_until

from apertur_local import LocalApertur


@pytest.fixture(scope="module")
def server() -> Iterator[LocalApertur]:
    with LocalApertur(simulated_delivery_delay=0.01) as srv:
        yield srv


@pytest.fixture
def client(server: LocalApertur) -> Iterator[httpx.Client]:
    server.reset()
    with client_for(server) as c:
        yield c


def hooks_url(server: LocalApertur) -> str:
    return f"/api/v1/projects/{server.project_id}/webhooks"


def make_hook(client: httpx.Client, server: LocalApertur, url: str, **fields: object) -> dict:
    body = {"url": url, "topics": ["image.*", "session.completed"], "retryIntervals": [0], **fields}
    response = client.post(hooks_url(server), json=body)
    assert response.status_code == 201, response.text
    return response.json()


def verify_hmac(secret: str, headers: dict[str, str], body: bytes) -> bool:
    signed = headers["x-apertur-timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["x-apertur-signature"])


def verify_svix(secret: str, headers: dict[str, str], body: bytes) -> bool:
    signed = f"{headers['svix-id']}.{headers['svix-timestamp']}.".encode() + body
    digest = hmac.new(bytes.fromhex(secret), signed, hashlib.sha256).digest()
    return hmac.compare_digest("v1," + base64.b64encode(digest).decode(), headers["svix-signature"])


def deliveries(client: httpx.Client, server: LocalApertur, hook_id: str, **params: int) -> dict:
    return client.get(f"{hooks_url(server)}/{hook_id}/deliveries", params=params).json()


def test_webhook_crud(client: httpx.Client, server: LocalApertur) -> None:
    hook = make_hook(client, server, "http://127.0.0.1:9/x", customHeaders={"X-Team": "imaging"})
    assert hook["signatureMethod"] == "hmac_sha256"
    assert len(bytes.fromhex(hook["secret"])) == 32
    assert hook["maxRetries"] == 3
    assert hook["consecutiveFailures"] == 0
    assert hook["customHeaders"] == {"X-Team": "imaging"}
    assert [h["id"] for h in client.get(hooks_url(server)).json()] == [hook["id"]]
    patched = client.patch(
        f"{hooks_url(server)}/{hook['id']}", json={"topics": ["image.uploaded"], "maxRetries": 1}
    )
    assert patched.json()["topics"] == ["image.uploaded"]
    assert patched.json()["maxRetries"] == 1
    assert client.delete(f"{hooks_url(server)}/{hook['id']}").status_code == 204
    assert client.delete(f"{hooks_url(server)}/{hook['id']}").status_code == 404
    assert client.get(f"{hooks_url(server)}/{hook['id']}/deliveries").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"topics": ["image.*"]},
        {"url": "http://h/x"},
        {"url": "not a url", "topics": ["a"]},
        {"url": "http://h/x", "topics": ["a"], "signatureMethod": "md5"},
        {"url": "http://h/x", "topics": ["a"], "maxRetries": -1},
        {"url": "http://h/x", "topics": ["a"], "retryIntervals": [-5]},
        {"url": "http://h/x", "topics": ["a"], "customHeaders": {"X": 1}},
        {"url": "http://h/x", "topics": "a"},
    ],
)
def test_webhook_validation(client: httpx.Client, server: LocalApertur, body: dict) -> None:
    assert client.post(hooks_url(server), json=body).status_code == 400


def test_image_and_session_events_hmac(
    client: httpx.Client, server: LocalApertur, receiver: Receiver
) -> None:
    hook = make_hook(client, server, receiver.url, customHeaders={"X-Team": "imaging"})
    s3 = client.post(
        f"/api/v1/projects/{server.project_id}/destinations", json={"type": "s3", "name": "b"}
    ).json()
    sid = create_session(
        client, max_images=1, destination_ids=[s3["id"]], tags=["t"], metadata={"order": 7}
    )
    image = upload(client, sid, make_png()).json()
    requests = receiver.wait_for(3)
    topics = sorted(json.loads(r.body)["topic"] for r in requests)
    assert topics == ["image.delivered", "image.uploaded", "session.completed"]
    for request in requests:
        assert verify_hmac(hook["secret"], request.headers, request.body)
        assert request.headers["x-team"] == "imaging"
        envelope = json.loads(request.body)
        assert envelope["event"] == envelope["topic"]
        assert envelope["project_id"] == server.project_id
        assert envelope["id"].startswith("evt_")
        assert envelope["timestamp"].endswith("Z")
    uploaded = next(json.loads(r.body) for r in requests if b'"image.uploaded"' in r.body)
    data = uploaded["data"]
    assert data["id"] == image["id"]
    assert data["session_id"] == sid
    assert data["tags"] == ["t"]
    assert data["metadata"] == {"order": 7}
    assert data["mime_type"] == "image/png"
    assert data["size_bytes"] == len(make_png())
    assert httpx.get(data["download_url"], headers=client.headers).content == make_png()
    delivered = next(json.loads(r.body) for r in requests if b'"image.delivered"' in r.body)
    assert delivered["data"]["destination_id"] == s3["id"]
    assert delivered["data"]["status"] == "sent"
    log = wait_until(
        lambda: (
            (d := deliveries(client, server, hook["id"]))["total"] == 3
            and all(x["status"] == "sent" for x in d["deliveries"])
            and d
        )
    )
    row = log["deliveries"][0]
    assert row["responseCode"] == 200
    assert row["responseBody"] == "ok"
    assert row["attempts"] == 1
    assert row["lastError"] is None
    assert row["nextRetryAt"] is None


def test_svix_signature(client: httpx.Client, server: LocalApertur, receiver: Receiver) -> None:
    hook = make_hook(
        client, server, receiver.url, signatureMethod="svix", topics=["image.uploaded"]
    )
    upload(client, create_session(client), make_png())
    (request,) = receiver.wait_for(1)
    assert verify_svix(hook["secret"], request.headers, request.body)
    assert request.headers["svix-id"] == json.loads(request.body)["id"]


@pytest.mark.parametrize(
    ("topics", "expected"),
    [
        (["project.upload.*"], ["image.uploaded"]),
        (["image.uploaded"], ["image.uploaded"]),
        (["image.*"], ["image.uploaded"]),
        (["session.*"], ["session.completed"]),
        (["project.session.completed"], ["session.completed"]),
        (["*"], ["image.uploaded", "session.completed"]),
        (["upload.completed"], []),
    ],
)
def test_topic_matching(
    client: httpx.Client,
    server: LocalApertur,
    receiver: Receiver,
    topics: list[str],
    expected: list[str],
) -> None:
    hook = make_hook(client, server, receiver.url, topics=topics)
    upload(client, create_session(client, max_images=1), make_png())
    # delivery rows are logged synchronously when the event is published
    rows = deliveries(client, server, hook["id"])["deliveries"]
    assert sorted(r["topic"] for r in rows) == expected


def test_retries_log_and_manual_retry(
    client: httpx.Client, server: LocalApertur, receiver: Receiver
) -> None:
    receiver.script = [500, 500]
    hook = make_hook(client, server, receiver.url, topics=["image.uploaded"], maxRetries=1)
    upload(client, create_session(client), make_png())
    log = wait_until(
        lambda: (
            (d := deliveries(client, server, hook["id"]))["deliveries"]
            and d["deliveries"][0]["status"] == "failed"
            and d
        )
    )
    row = log["deliveries"][0]
    assert row["attempts"] == 2
    assert row["responseCode"] == 500
    assert row["lastError"] == "HTTP 500"
    assert client.get(hooks_url(server)).json()[0]["consecutiveFailures"] == 1
    retry = client.post(f"{hooks_url(server)}/{hook['id']}/deliveries/{row['id']}/retry")
    assert retry.status_code == 200
    assert "message" in retry.json()
    wait_until(lambda: deliveries(client, server, hook["id"])["deliveries"][0]["status"] == "sent")
    bodies = {r.body for r in receiver.wait_for(3)}
    assert len(bodies) == 1  # the same event body every time
    assert client.get(hooks_url(server)).json()[0]["consecutiveFailures"] == 0
    assert (
        client.post(f"{hooks_url(server)}/{hook['id']}/deliveries/del_nope/retry").status_code
        == 404
    )


def test_disable_after_failures(
    client: httpx.Client, server: LocalApertur, receiver: Receiver
) -> None:
    receiver.script = [500] * 10
    hook = make_hook(
        client,
        server,
        receiver.url,
        topics=["image.uploaded"],
        maxRetries=0,
        disableAfterFailures=2,
    )
    sid = create_session(client)
    for _ in range(2):
        upload(client, sid, make_png())
    disabled = wait_until(
        lambda: (h := client.get(hooks_url(server)).json()[0])["isActive"] is False and h
    )
    assert disabled["consecutiveFailures"] == 2
    assert disabled["disabledAt"] is not None
    upload(client, sid, make_png())
    assert deliveries(client, server, hook["id"])["total"] == 2
    revived = client.patch(f"{hooks_url(server)}/{hook['id']}", json={"isActive": True}).json()
    assert revived["consecutiveFailures"] == 0
    assert revived["disabledAt"] is None


def test_test_event_and_paging(
    client: httpx.Client, server: LocalApertur, receiver: Receiver
) -> None:
    hook = make_hook(client, server, receiver.url, topics=["nothing"])
    for _ in range(3):
        result = client.post(f"{hooks_url(server)}/{hook['id']}/test")
        assert result.status_code == 200
        assert result.json() == {"message": "Test event delivered (HTTP 200)"}
    request = receiver.wait_for(3)[0]
    assert json.loads(request.body)["topic"] == "webhook.test"
    assert verify_hmac(hook["secret"], request.headers, request.body)
    page = deliveries(client, server, hook["id"], page=2, limit=2)
    assert page["total"] == 3
    assert page["page"] == 2
    assert page["limit"] == 2
    assert len(page["deliveries"]) == 1
    assert (
        client.get(f"{hooks_url(server)}/{hook['id']}/deliveries", params={"limit": 0}).status_code
        == 400
    )
    receiver.script = [418]
    failed = client.post(f"{hooks_url(server)}/{hook['id']}/test").json()
    assert failed == {"message": "Test event failed: HTTP 418"}


def test_event_data_is_made_only_for_a_subscribed_webhook(
    client: httpx.Client, server: LocalApertur
) -> None:
    made: list[str] = []
    events = server.app.engine.events
    events.publish(server.project_id, "image.uploaded", lambda: made.append("none") or {})
    make_hook(client, server, "http://127.0.0.1:9/hook", topics=["session.completed"])
    events.publish(server.project_id, "image.uploaded", lambda: made.append("other") or {})
    assert made == []  # nobody subscribed to the topic: no data made
