"""Tests for apertur_local._request_signing: §5.4 vectors, raw targets, tolerance, exemptions."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apertur_local._request_signing import RequestSigningMiddleware, signed_target

pytestmark = pytest.mark.anyio

SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
TS = 1800000000
POST_VECTOR = "sha256=d5bf88c946aa6cf4397749eacd05cf058e6828878f9b1c84830cb7c07a234d3e"
GET_VECTOR = "sha256=f53cf714f69187170c4fdb22c53e0b53578dcbcb61e63b56948d5e1fd8294a3e"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Clock:
    def __init__(self) -> None:
        self.now: float = TS

    def __call__(self) -> float:
        return self.now


def oracle(method: str, target: str, body: bytes, ts: int = TS, secret: str = SECRET) -> str:
    """An independent §5.4 signer."""
    signed = f"{ts}.{method}.{target}.{hashlib.sha256(body).hexdigest()}".encode()
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signed(signature: str, ts: int = TS) -> dict[str, str]:
    return {"X-Aptr-Signature": signature, "X-Aptr-Timestamp": str(ts)}


class Inner:
    """The protected app: records what reached it."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, bytes]] = []

        async def echo(request: Request) -> Response:
            body = await request.body()
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            self.seen.append((request.method, target, body))
            return JSONResponse({"ok": True})

        self.app = Starlette(
            routes=[
                Route("/api/v1/{rest:path}", echo, methods=["GET", "POST", "PATCH", "DELETE"]),
                Route("/health", echo),
            ]
        )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def inner() -> Inner:
    return Inner()


@pytest.fixture
async def client(clock: Clock, inner: Inner) -> AsyncIterator[httpx.AsyncClient]:
    middleware = RequestSigningMiddleware(inner.app, SECRET, clock=clock, max_body=1000)
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://local") as c:
        yield c


async def test_post_vector_passes_and_body_is_replayed(
    client: httpx.AsyncClient, inner: Inner
) -> None:
    response = await client.post(
        "/api/v1/upload-sessions",
        content=b'{"a":1}',
        headers={"Content-Type": "application/json", **signed(POST_VECTOR)},
    )
    assert response.status_code == 200
    assert inner.seen == [("POST", "/api/v1/upload-sessions", b'{"a":1}')]


async def test_get_vector_passes(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/uploads/abc", headers=signed(GET_VECTOR))
    assert response.status_code == 200


async def test_uppercase_hex_and_missing_prefix_accepted(client: httpx.AsyncClient) -> None:
    bare_upper = GET_VECTOR[len("sha256=") :].upper()
    assert (await client.get("/api/v1/uploads/abc", headers=signed(bare_upper))).status_code == 200


async def test_query_string_is_signed(client: httpx.AsyncClient) -> None:
    target = "/api/v1/sessions?page=2&pageSize=5"
    ok = await client.get(target, headers=signed(oracle("GET", target, b"")))
    assert ok.status_code == 200
    without_query = await client.get(target, headers=signed(oracle("GET", "/api/v1/sessions", b"")))
    assert without_query.status_code == 401
    assert without_query.json() == {
        "message": "X-Aptr-Signature does not match the request",
        "code": "INVALID_SIGNATURE",
    }


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Missing X-Aptr-Signature header"),
        ({"X-Aptr-Signature": GET_VECTOR}, "Missing X-Aptr-Timestamp header"),
        ({"X-Aptr-Signature": GET_VECTOR, "X-Aptr-Timestamp": "1.8e9"}, "not a Unix time"),
        ({"X-Aptr-Signature": GET_VECTOR, "X-Aptr-Timestamp": "-5"}, "not a Unix time"),
        ({"X-Aptr-Signature": GET_VECTOR, "X-Aptr-Timestamp": "9" * 40}, "not a Unix time"),
        ({"X-Aptr-Signature": "sha256=00", "X-Aptr-Timestamp": str(TS)}, "does not match"),
        (
            {"X-Aptr-Signature": "sha256=é".encode("latin-1"), "X-Aptr-Timestamp": str(TS)},
            "does not match",
        ),
        (signed(GET_VECTOR, TS + 1), "does not match"),
    ],
)
async def test_rejections_say_which_check_failed(
    client: httpx.AsyncClient, inner: Inner, headers: dict[str, Any], message: str
) -> None:
    response = await client.get("/api/v1/uploads/abc", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "INVALID_SIGNATURE"
    assert message in body["message"]
    assert SECRET not in response.text
    assert inner.seen == []


async def test_tampered_body_rejected(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/upload-sessions", content=b'{"a":2}', headers=signed(POST_VECTOR)
    )
    assert response.status_code == 401


async def test_method_is_signed(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/v1/uploads/abc", headers=signed(GET_VECTOR))
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("skew", "ok", "message"),
    [
        (300, True, ""),
        (-300, True, ""),
        (301, False, "too old"),
        (-301, False, "too new"),
        (300.9, True, ""),  # whole seconds: floor(now) is 300 s past the timestamp
        (301.0, False, "too old"),
    ],
)
async def test_tolerance_boundaries(
    client: httpx.AsyncClient, clock: Clock, skew: float, ok: bool, message: str
) -> None:
    clock.now = TS + skew
    response = await client.get("/api/v1/uploads/abc", headers=signed(GET_VECTOR))
    assert (response.status_code == 200) is ok
    if not ok:
        assert message in response.json()["message"]


async def test_multipart_is_exempt_and_streamed(client: httpx.AsyncClient, inner: Inner) -> None:
    response = await client.post(
        "/api/v1/upload/u/images",
        files={"file": ("a.jpg", b"\xff\xd8" + b"x" * 5000, "image/jpeg")},
    )
    assert response.status_code == 200
    assert len(inner.seen[0][2]) > 5000  # bigger than max_body: it was not buffered or limited


async def test_non_api_paths_not_checked(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).status_code == 200


async def test_declared_oversized_body_is_413_without_reading(
    client: httpx.AsyncClient, inner: Inner
) -> None:
    response = await client.post(
        "/api/v1/upload-sessions", content=b"x" * 1001, headers=signed(POST_VECTOR)
    )
    assert response.status_code == 413
    assert response.json()["code"] == "PAYLOAD_TOO_LARGE"
    assert inner.seen == []


async def test_chunked_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"x" * 100

    response = await client.post(
        "/api/v1/upload-sessions", content=chunks(), headers=signed(POST_VECTOR)
    )
    assert response.status_code == 413


async def test_off_without_secret(inner: Inner) -> None:
    middleware = RequestSigningMiddleware(inner.app, None)
    assert "off" in repr(middleware)
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://local") as c:
        assert (await c.get("/api/v1/uploads/abc")).status_code == 200


def test_repr_hides_secret() -> None:
    text = repr(RequestSigningMiddleware(Starlette(), SECRET))
    assert SECRET not in text
    assert "on" in text


def test_signed_target_uses_raw_path_and_query() -> None:
    scope: dict[str, Any] = {
        "path": "/api/v1/upload-sessions/a/b/qr",
        "raw_path": b"/api/v1/upload-sessions/a%2Fb/qr",
        "query_string": b"format=svg&fg=%23000",
    }
    assert signed_target(scope) == "/api/v1/upload-sessions/a%2Fb/qr?format=svg&fg=%23000"
    assert signed_target(
        {"path": "/api/v1/x", "raw_path": b"/api/v1/x?q=1", "query_string": b"q=1"}
    ) == ("/api/v1/x?q=1")
    assert signed_target({"path": "/api/v1/x", "query_string": b""}) == "/api/v1/x"


async def test_lifespan_and_websocket_pass_through() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    middleware = RequestSigningMiddleware(app, SECRET)
    for kind in ("lifespan", "websocket"):
        await middleware({"type": kind, "path": "/api/v1/x", "headers": []}, None, None)  # type: ignore[arg-type]
    assert seen == ["lifespan", "websocket"]


@contextlib.asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """Run ``app`` under uvicorn on a free loopback port in this event loop."""
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


async def test_raw_target_exactly_as_sent_over_uvicorn(clock: Clock, inner: Inner) -> None:
    middleware = RequestSigningMiddleware(inner.app, SECRET, clock=clock)
    target = "/api/v1/upload-sessions/a%2Fb/qr?format=svg&fg=%23abc&size=10"
    async with serve(middleware) as url, httpx.AsyncClient(base_url=url) as c:
        ok = await c.get(target, headers=signed(oracle("GET", target, b"")))
        decoded = "/api/v1/upload-sessions/a/b/qr?format=svg&fg=%23abc&size=10"
        bad = await c.get(target, headers=signed(oracle("GET", decoded, b"")))
        body = b'{"password":null}'
        patch = await c.patch(
            "/api/v1/upload-sessions/u1",
            content=body,
            headers=signed(oracle("PATCH", "/api/v1/upload-sessions/u1", body)),
        )
    assert ok.status_code == 200
    assert bad.status_code == 401
    assert patch.status_code == 200
    assert inner.seen[-1] == ("PATCH", "/api/v1/upload-sessions/u1", body)


async def test_client_disconnect_while_reading_body_is_rejected() -> None:
    reached: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)

    messages = [
        {"type": "http.request", "body": b"{", "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Any] = []

    async def receive() -> Any:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/upload-sessions",
        "raw_path": b"/api/v1/upload-sessions",
        "query_string": b"",
        "headers": [(b"x-aptr-signature", POST_VECTOR.encode()), (b"x-aptr-timestamp", b"%d" % TS)],
    }
    await RequestSigningMiddleware(app, SECRET, clock=Clock())(scope, receive, send)
    assert reached == []
    assert sent[0]["status"] == 401


async def test_replayed_receive_then_falls_through_to_the_server() -> None:
    received: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        received.append(await receive())
        received.append(await receive())

    async def receive() -> Any:
        return (
            {"type": "http.request", "body": b'{"a":1}', "more_body": False}
            if not received
            else {"type": "http.disconnect"}
        )

    async def send(message: Any) -> None:
        raise AssertionError("the app answers nothing")

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/upload-sessions",
        "query_string": b"",
        "headers": [(b"x-aptr-signature", POST_VECTOR.encode()), (b"x-aptr-timestamp", b"%d" % TS)],
    }
    await RequestSigningMiddleware(app, SECRET, clock=Clock())(scope, receive, send)
    assert received == [
        {"type": "http.request", "body": b'{"a":1}', "more_body": False},
        {"type": "http.disconnect"},
    ]
