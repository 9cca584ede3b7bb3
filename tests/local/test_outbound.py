"""Tests for apertur_local._outbound against a real loopback receiver (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import uvicorn
from standardwebhooks import Webhook
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from apertur_local._outbound import (
    AttemptResult,
    ImageDeliveryMeta,
    OutboundRequest,
    OutboundSender,
    address_refusal,
    event_request,
    image_delivery_request,
)

pytestmark = pytest.mark.anyio

META = ImageDeliveryMeta(
    session_id="sess_1",
    image_id="img_1",
    image_index=2,
    mime_type="image/png",
    filename='a "quoted"\r\nname.png',
    size_bytes=5,
    tags=["t1", "t2"],
)
DATA = b"\x89PNG\x00"


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


class Receiver:
    """A loopback Starlette app recording what it receives and answering a scripted status."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes, Request]] = []
        self.statuses: list[int] = []
        self.reply = b"thanks"
        self.hang = asyncio.Event()
        self.app = Starlette(
            routes=[
                Route("/hook", self.hook, methods=["POST"]),
                Route("/slow", self.slow, methods=["POST"]),
            ]
        )

    async def hook(self, request: Request) -> Response:
        body = await request.body()
        self.requests.append((dict(request.headers), body, request))
        status = self.statuses.pop(0) if self.statuses else 200
        location = {"Location": "/hook"} if 300 <= status < 400 else None
        return PlainTextResponse(self.reply, status_code=status, headers=location)

    async def slow(self, request: Request) -> Response:
        await self.hang.wait()
        return PlainTextResponse("late")


@contextlib.asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """Run ``app`` under uvicorn on a free loopback port in this event loop."""
    # Let uvicorn bind port 0 itself: a socket made with socket.socket() has proto 0, so asyncio
    # would not set TCP_NODELAY on accepted connections and every response would pay Nagle's
    # 40 ms delayed-ACK stall.
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(1000):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="module")
async def shared_receiver() -> AsyncIterator[tuple[Receiver, str]]:
    """One receiver server for the module; :func:`receiver` resets it for each test."""
    rec = Receiver()
    async with serve(rec.app) as url:
        try:
            yield rec, url
        finally:
            rec.hang.set()


@pytest.fixture
def receiver(shared_receiver: tuple[Receiver, str]) -> tuple[Receiver, str]:
    rec, url = shared_receiver
    rec.requests.clear()
    rec.statuses.clear()
    rec.reply = b"thanks"
    return rec, url


def _image_sig(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def test_json_base64_delivery_arrives_signed(receiver: tuple[Receiver, str]) -> None:
    rec, url = receiver
    req = image_delivery_request("json_base64", url + "/hook", "test_secret", META, DATA)
    sender = OutboundSender()
    result = await sender.send(req)
    await sender.aclose()
    assert result.ok
    assert result.status_code == 200
    assert result.response_body == "thanks"
    headers, body, _ = rec.requests[0]
    assert headers["x-apertur-signature"] == _image_sig("test_secret", body)
    assert headers["content-type"] == "application/json"
    assert headers["x-aptr-session-id"] == "sess_1"
    assert headers["x-aptr-image-id"] == "img_1"
    assert headers["x-aptr-image-index"] == "2"
    doc = json.loads(body)
    assert list(doc) == [
        "session_id",
        "image_id",
        "image_index",
        "mime_type",
        "filename",
        "size_bytes",
        "data",
        "tags",
    ]
    assert base64.b64decode(doc["data"]) == DATA
    assert doc["tags"] == ["t1", "t2"]
    assert doc["image_index"] == 2
    assert doc["size_bytes"] == 5


async def test_multipart_delivery_parses(receiver: tuple[Receiver, str]) -> None:
    rec, url = receiver
    req = image_delivery_request("multipart", url + "/hook", "s3cr3t", META, DATA)
    async with httpx.AsyncClient() as client:
        result = await OutboundSender(client=client).send(req)
    assert result.ok
    headers, body, request = rec.requests[0]
    assert headers["x-apertur-signature"] == _image_sig("s3cr3t", body)
    assert headers["content-type"].startswith("multipart/form-data; boundary=")
    form = await request.form()
    upload = form["image"]
    assert not isinstance(upload, str)
    assert await upload.read() == DATA
    assert upload.content_type == "image/png"
    assert upload.filename is not None
    assert "\r" not in upload.filename
    assert form["session_id"] == "sess_1"
    assert form["image_id"] == "img_1"
    assert form["mime_type"] == "image/png"
    assert form.getlist("tags") == ["t1", "t2"]
    await form.close()


async def test_binary_delivery_without_secret(receiver: tuple[Receiver, str]) -> None:
    rec, url = receiver
    req = image_delivery_request("binary", url + "/hook", None, META, DATA)
    sender = OutboundSender()
    assert (await sender.send(req)).ok
    await sender.aclose()
    headers, body, _ = rec.requests[0]
    assert body == DATA
    assert headers["content-type"] == "application/octet-stream"
    assert "x-apertur-signature" not in headers
    assert headers["x-aptr-image-index"] == "2"


def test_unknown_format_rejected() -> None:
    with pytest.raises(ValueError, match="unknown delivery format"):
        image_delivery_request("xml", "http://x", None, META, DATA)  # type: ignore[arg-type]


def test_image_signature_vector_in_request() -> None:
    # §5.1 vector: a binary body of {"event":"test"} signed with test_secret.
    req = image_delivery_request("binary", "http://x", "test_secret", META, b'{"event":"test"}')
    assert req.headers["X-Apertur-Signature"] == (
        "sha256=14c2b69d0f7114b125aa4bc17be322d0f1f33be4ffa762e91b3cabfeb4295151"
    )


async def test_hmac_event_arrives_verifiable(receiver: tuple[Receiver, str]) -> None:
    rec, url = receiver
    envelope = {"event": "image.uploaded", "data": {"id": "img_1", "name": "é"}}
    custom = {
        "X-Tenant": "acme",
        "X-Apertur-Signature": "forged",
        "content-type": "text/plain",
        "Bad Header": "x",
        "X-Injected": "a\r\nb",
    }
    req = event_request(
        url + "/hook", "hmac_sha256", "test_secret", envelope, custom, message_id="m1", timestamp=17
    )
    sender = OutboundSender()
    assert (await sender.send(req)).ok
    await sender.aclose()
    headers, body, _ = rec.requests[0]
    assert body == json.dumps(envelope, separators=(",", ":")).encode()
    assert headers["x-tenant"] == "acme"
    assert "x-injected" not in headers
    assert "bad header" not in headers
    assert headers["content-type"] == "application/json"
    assert headers["x-apertur-timestamp"] == "17"
    digest = hmac.new(b"test_secret", b"17." + body, hashlib.sha256).hexdigest()
    assert headers["x-apertur-signature"] == "sha256=" + digest


async def test_svix_event_verifies_with_standardwebhooks(receiver: tuple[Receiver, str]) -> None:
    rec, url = receiver
    secret = "0123456789abcdef0123456789abcdef"
    req = event_request(
        url + "/hook",
        "svix",
        secret,
        {"event": "test"},
        {"svix-signature": "v1,forged"},
        message_id="msg_abc123",
        timestamp=1700000000,
    )
    # §5.3 vector: the compact body is exactly {"event":"test"}.
    assert req.headers["svix-signature"] == "v1,9K/gR6akudLgzgq58p5TKQ/V0g3AOnvWExAMoupbf9U="
    sender = OutboundSender()
    assert (await sender.send(req)).ok
    await sender.aclose()
    headers, body, _ = rec.requests[0]
    expected = Webhook(bytes.fromhex(secret)).sign(
        headers["svix-id"],
        datetime.fromtimestamp(int(headers["svix-timestamp"]), tz=UTC),
        body.decode(),
    )
    assert headers["svix-signature"] == expected


async def test_non_2xx_is_failure_and_body_truncated(receiver: tuple[Receiver, str]) -> None:
    rec, url = receiver
    rec.statuses = [500]
    rec.reply = b"x" * 5000
    sender = OutboundSender()
    result = await sender.send(OutboundRequest(url + "/hook", {}, b"{}"))
    await sender.aclose()
    assert not result.ok
    assert result.status_code == 500
    assert result.error == "HTTP 500"
    assert result.response_body == "x" * 1024


async def test_connection_refused_becomes_error_text() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    sender = OutboundSender()
    result = await sender.send(OutboundRequest(f"http://127.0.0.1:{port}/", {}, b""))
    await sender.aclose()
    assert not result.ok
    assert result.status_code is None
    assert result.response_body is None
    assert result.error is not None
    assert result.error.startswith("ConnectError")


async def test_invalid_url_becomes_error_text() -> None:
    sender = OutboundSender()
    result = await sender.send(OutboundRequest("ftp://example.invalid/", {}, b""))
    await sender.aclose()
    assert not result.ok
    assert (result.status_code, result.response_body) == (None, None)
    assert result.error == "unsupported URL scheme 'ftp'"


async def test_timeout_becomes_error(receiver: tuple[Receiver, str]) -> None:
    _, url = receiver
    sender = OutboundSender(timeout=0.2)
    result = await sender.send(OutboundRequest(url + "/slow", {}, b""))
    await sender.aclose()
    assert not result.ok
    assert result.error is not None
    assert "Timeout" in result.error


async def test_duration_uses_injected_clock(receiver: tuple[Receiver, str]) -> None:
    _, url = receiver
    ticks = iter([10.0, 10.25])
    sender = OutboundSender(clock=lambda: next(ticks))
    result = await sender.send(OutboundRequest(url + "/hook", {}, b""))
    await sender.aclose()
    assert result.duration_ms == 250


async def test_retries_follow_intervals(receiver: tuple[Receiver, str]) -> None:
    rec, url = receiver
    rec.statuses = [503, 502]
    slept: list[float] = []
    seen: list[tuple[int, AttemptResult, float | None]] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    async def on_attempt(n: int, result: AttemptResult, delay: float | None) -> None:
        seen.append((n, result, delay))

    sender = OutboundSender(sleep=fake_sleep)
    final = await sender.send_with_retries(
        OutboundRequest(url + "/hook", {}, b"{}"), [5, 60, 300], on_attempt
    )
    await sender.aclose()
    assert final.ok
    assert slept == [5.0, 60.0]
    assert [(n, r.status_code, d) for n, r, d in seen] == [
        (1, 503, 5.0),
        (2, 502, 60.0),
        (3, 200, None),
    ]
    assert len(rec.requests) == 3


async def test_retries_exhausted_returns_last_failure(receiver: tuple[Receiver, str]) -> None:
    rec, url = receiver
    rec.statuses = [500, 500]
    slept: list[float] = []
    delays: list[float | None] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    async def on_attempt(n: int, result: AttemptResult, delay: float | None) -> None:
        delays.append(delay)

    sender = OutboundSender(sleep=fake_sleep)
    final = await sender.send_with_retries(
        OutboundRequest(url + "/hook", {}, b""), [1.5], on_attempt
    )
    await sender.aclose()
    assert not final.ok
    assert final.status_code == 500
    assert slept == [1.5]
    assert delays == [1.5, None]


def test_repr_hides_body_header_values_and_userinfo() -> None:
    req = event_request(
        "https://user:pw@hooks.example/x",
        "hmac_sha256",
        "topsecret",
        {"password": "hunter2"},
        {"Authorization": "Bearer tok"},
        message_id="m",
        timestamp=1,
    )
    text = repr(req)
    for leaked in ("hunter2", "Bearer tok", "pw@", "sha256=", "topsecret"):
        assert leaked not in text
    assert "Authorization" in text
    assert "hooks.example" in text
    assert "bytes" in text


def test_meta_tags_copied() -> None:
    tags = ["a"]
    meta = ImageDeliveryMeta("s", "i", 0, "image/jpeg", "f.jpg", 1, tags)
    tags.append("b")
    assert meta.tags == ["a"]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@[::1]:8443/x?q=1", "https://[::1]:8443/x?q=1"),
        ("https://token@hooks.example/x", "https://hooks.example/x"),
        ("http://[::1", "<invalid url>"),
        ("https://hooks.example:99999/x", "https://hooks.example:99999/x"),
    ],
)
def test_repr_url_forms(url: str, shown: str) -> None:
    assert f"url={shown!r}" in repr(OutboundRequest(url, {}, b""))


def test_non_string_custom_headers_dropped() -> None:
    custom: dict[str, Any] = {"X-Num": 3, "X-Ok": "yes"}
    req = event_request("http://x", "hmac_sha256", "s", {}, custom, message_id="m", timestamp=1)
    assert "X-Num" not in req.headers
    assert req.headers["X-Ok"] == "yes"


@pytest.mark.parametrize(
    "url", ["https://example.com/hook", "http://203.0.113.5/hook", "http://[2001:db8::1]/x"]
)
async def test_external_hosts_are_not_contacted_by_default(url: str) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"contacted {request.url}")

    async def resolve(host: str, port: int) -> list[str]:
        return ["93.184.215.14"]  # what a DNS server would say (no lookup in tests)

    client = httpx.AsyncClient(transport=httpx.MockTransport(refuse))
    sender = OutboundSender(client=client, resolver=resolve)
    result = await sender.send(OutboundRequest(url, {}, b"{}"))
    assert not result.ok
    assert result.error is not None
    assert "loopback" in result.error
    await client.aclose()


@pytest.mark.parametrize(
    ("address", "allowed", "allowed_external"),
    [
        ("127.0.0.1", True, True),
        ("127.8.0.1", True, True),
        ("::1", True, True),
        ("::ffff:127.0.0.1", True, True),
        ("203.0.113.5", False, True),
        ("2001:db8::1", False, True),
        ("::ffff:203.0.113.5", False, True),
        ("169.254.169.254", False, False),
        ("fe80::1%eth0", False, False),
        ("0.0.0.0", False, False),  # noqa: S104
        ("224.0.0.1", False, False),
        ("not-an-ip", False, False),
    ],
)
def test_address_rules(address: str, allowed: bool, allowed_external: bool) -> None:
    assert (address_refusal(address, allow_external=False) is None) is allowed
    assert (address_refusal(address, allow_external=True) is None) is allowed_external


async def test_external_hosts_allowed_when_asked() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        assert request.headers["host"] == "example.com"
        assert request.extensions["sni_hostname"] == "example.com"  # TLS checks the name
        return httpx.Response(200, text="ok")

    async def resolve(host: str, port: int) -> list[str]:
        assert (host, port) == ("example.com", 443)
        return ["203.0.113.10"]

    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    sender = OutboundSender(client=client, allow_external=True, resolver=resolve)
    assert (await sender.send(OutboundRequest("https://example.com/hook", {}, b"{}"))).ok
    assert seen == ["https://203.0.113.10/hook"]  # the address checked, nothing else
    await client.aclose()


class Resolver:
    """A scripted resolver that counts its calls."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


async def test_a_name_is_resolved_once_and_the_checked_address_is_used(
    receiver: tuple[Receiver, str],
) -> None:
    rec, url = receiver
    port = int(url.rsplit(":", 1)[1])
    # a rebinding name: loopback for the check, the internet for any later lookup
    resolver = Resolver(["127.0.0.1"], ["203.0.113.5"])
    sender = OutboundSender(resolver=resolver)
    result = await sender.send(OutboundRequest(f"http://hooks.test:{port}/hook", {}, b"{}"))
    await sender.aclose()
    assert result.ok, result.error
    assert resolver.calls == [("hooks.test", port)]
    headers, _, _ = rec.requests[-1]
    assert headers["host"] == f"hooks.test:{port}"


@pytest.mark.parametrize(
    "addresses",
    [["203.0.113.5"], ["127.0.0.1", "203.0.113.5"], ["::1", "2001:db8::1"]],
    ids=["external", "mixed", "mixed-v6"],
)
async def test_a_name_with_any_external_address_is_refused(addresses: list[str]) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"contacted {request.url}")

    client = httpx.AsyncClient(transport=httpx.MockTransport(refuse))
    sender = OutboundSender(client=client, resolver=Resolver(addresses))
    result = await sender.send(OutboundRequest("http://hooks.example:8080/x", {}, b"{}"))
    assert not result.ok
    assert result.error is not None
    assert "hooks.example resolves to" in result.error
    assert "loopback" in result.error
    await client.aclose()


async def test_an_unresolvable_name_is_a_failed_attempt() -> None:
    async def fail(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    sender = OutboundSender(resolver=fail)
    result = await sender.send(OutboundRequest("http://nowhere.invalid/x", {}, b"{}"))
    await sender.aclose()
    assert not result.ok
    assert result.error is not None
    assert result.error.startswith("cannot resolve nowhere.invalid")


async def test_proxy_settings_of_the_environment_are_ignored(
    receiver: tuple[Receiver, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rec, url = receiver
    proxy_hits: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        proxy_hits.append(await reader.read(1024))
        writer.close()

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    proxy_url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, proxy_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    sender = OutboundSender()
    before = len(rec.requests)
    result = await sender.send(OutboundRequest(url + "/hook", {}, b"{}"))
    await sender.aclose()
    server.close()
    await server.wait_closed()
    assert result.ok, result.error
    assert len(rec.requests) == before + 1
    assert proxy_hits == []


async def test_redirects_are_not_followed_even_by_a_client_that_would(
    receiver: tuple[Receiver, str],
) -> None:
    rec, url = receiver
    rec.statuses.append(307)
    client = httpx.AsyncClient(follow_redirects=True, trust_env=False)
    sender = OutboundSender(client=client)
    before = len(rec.requests)
    result = await sender.send(OutboundRequest(url + "/hook", {}, b"{}"))
    await client.aclose()
    assert not result.ok
    assert result.status_code == 307
    assert len(rec.requests) == before + 1


async def test_localhost_names_are_loopback_without_a_lookup(
    receiver: tuple[Receiver, str],
) -> None:
    rec, url = receiver
    port = int(url.rsplit(":", 1)[1])
    resolver = Resolver(["203.0.113.5"])
    sender = OutboundSender(resolver=resolver)
    result = await sender.send(OutboundRequest(f"http://evil.localhost:{port}/hook", {}, b"{}"))
    await sender.aclose()
    assert result.ok, result.error
    assert resolver.calls == []
    assert rec.requests[-1][0]["host"] == f"evil.localhost:{port}"
