"""Tests for apertur_local._ratelimit with an injected clock (httpx → ASGI, no sockets needed)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apertur_local._ratelimit import RateLimitMiddleware

pytestmark = pytest.mark.anyio

KEY_A = {"Authorization": "Bearer aptr_test_aaaaaaaaaaaaaaaa"}
KEY_B = {"Authorization": "Bearer aptr_test_bbbbbbbbbbbbbbbb"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def build(per_minute: int | None, clock: Clock) -> tuple[RateLimitMiddleware, list[int]]:
    body_sizes: list[int] = []

    async def stats(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def upload(request: Request) -> Response:
        body_sizes.append(len(await request.body()))
        return JSONResponse({"id": "img"}, status_code=201)

    async def missing(request: Request) -> Response:
        return JSONResponse({"message": "nope", "code": "NOT_FOUND"}, status_code=404)

    async def health(request: Request) -> Response:
        return Response("ok")

    app = Starlette(
        routes=[
            Route("/api/v1/stats", stats),
            Route("/api/v1/upload/u/images", upload, methods=["POST"]),
            Route("/api/v1/missing", missing),
            Route("/health", health),
        ]
    )
    return RateLimitMiddleware(app, per_minute, clock=clock), body_sizes


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def limited(clock: Clock) -> AsyncIterator[tuple[httpx.AsyncClient, list[int]]]:
    middleware, sizes = build(2, clock)
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://local") as client:
        yield client, sizes


def _limits(response: httpx.Response) -> tuple[str, str, str]:
    h = response.headers
    return h["x-ratelimit-limit"], h["x-ratelimit-remaining"], h["x-ratelimit-reset"]


async def test_burst_then_429_with_retry_after(
    limited: tuple[httpx.AsyncClient, list[int]], clock: Clock
) -> None:
    client, _ = limited
    first = await client.get("/api/v1/stats", headers=KEY_A)
    assert first.status_code == 200
    assert _limits(first) == ("2", "1", "30")
    second = await client.get("/api/v1/stats", headers=KEY_A)
    assert _limits(second) == ("2", "0", "60")
    third = await client.get("/api/v1/stats", headers=KEY_A)
    assert third.status_code == 429
    assert third.json() == {
        "message": "Rate limit exceeded: 2 requests per minute",
        "code": "RATE_LIMITED",
    }
    assert third.headers["retry-after"] == "30"
    assert _limits(third) == ("2", "0", "60")


async def test_token_frees_exactly_after_interval(
    limited: tuple[httpx.AsyncClient, list[int]], clock: Clock
) -> None:
    client, _ = limited
    for _ in range(2):
        await client.get("/api/v1/stats", headers=KEY_A)
    clock.now += 29.5
    refused = await client.get("/api/v1/stats", headers=KEY_A)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"  # 0.5 s rounded up
    clock.now += 0.5
    allowed = await client.get("/api/v1/stats", headers=KEY_A)
    assert allowed.status_code == 200
    assert _limits(allowed) == ("2", "0", "60")
    clock.now += 60
    full = await client.get("/api/v1/stats", headers=KEY_A)
    assert _limits(full) == ("2", "1", "30")


async def test_credentials_are_independent(limited: tuple[httpx.AsyncClient, list[int]]) -> None:
    client, _ = limited
    for _ in range(2):
        assert (await client.get("/api/v1/stats", headers=KEY_A)).status_code == 200
    assert (await client.get("/api/v1/stats", headers=KEY_A)).status_code == 429
    assert (await client.get("/api/v1/stats", headers=KEY_B)).status_code == 200
    assert (await client.get("/api/v1/stats")).status_code == 200  # anonymous bucket


async def test_headers_on_app_errors_and_not_outside_api(
    limited: tuple[httpx.AsyncClient, list[int]],
) -> None:
    client, _ = limited
    missing = await client.get("/api/v1/missing", headers=KEY_A)
    assert missing.status_code == 404
    assert _limits(missing) == ("2", "1", "30")
    for _ in range(5):
        health = await client.get("/health", headers=KEY_A)
        assert health.status_code == 200
        assert "x-ratelimit-limit" not in health.headers


async def test_refused_upload_body_is_drained_not_stored(
    limited: tuple[httpx.AsyncClient, list[int]],
) -> None:
    client, sizes = limited
    for _ in range(2):
        await client.post("/api/v1/upload/u/images", headers=KEY_A, content=b"x" * 10)
    refused = await client.post("/api/v1/upload/u/images", headers=KEY_A, content=b"y" * 100_000)
    assert refused.status_code == 429
    assert sizes == [10, 10]


async def test_off_when_none(clock: Clock) -> None:
    middleware, _ = build(None, clock)
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://local") as client:
        for _ in range(10):
            response = await client.get("/api/v1/stats", headers=KEY_A)
            assert response.status_code == 200
            assert "x-ratelimit-limit" not in response.headers


async def test_odd_limit_boundaries(clock: Clock) -> None:
    middleware, _ = build(7, clock)
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://local") as client:
        statuses = [
            (await client.get("/api/v1/stats", headers=KEY_A)).status_code for _ in range(8)
        ]
        assert statuses == [200] * 7 + [429]
        clock.now += 60 / 7
        assert (await client.get("/api/v1/stats", headers=KEY_A)).status_code == 200
        refused = await client.get("/api/v1/stats", headers=KEY_A)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "9"  # 60/7 = 8.57 s, rounded up


def test_raw_credential_never_stored(clock: Clock) -> None:
    middleware, _ = build(5, clock)
    scope: dict[str, Any] = {
        "type": "http",
        "headers": [(b"authorization", KEY_A["Authorization"].encode())],
        "client": ("127.0.0.1", 1),
    }
    key = middleware._bucket_key(scope)
    assert KEY_A["Authorization"].encode() not in key
    assert len(key) == 32
    assert "aptr_test" not in repr(middleware.__dict__)


def test_invalid_limit_rejected() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RateLimitMiddleware(Starlette(), 0)


async def test_lifespan_and_websocket_pass_through(clock: Clock) -> None:
    seen: list[str] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    middleware = RateLimitMiddleware(inner, 1, clock=clock)
    for kind in ("lifespan", "websocket", "websocket"):
        await middleware({"type": kind, "path": "/api/v1/x"}, None, None)  # type: ignore[arg-type]
    assert seen == ["lifespan", "websocket", "websocket"]


def test_idle_buckets_are_pruned(clock: Clock) -> None:
    middleware, _ = build(60, clock)
    for i in range(10_001):
        middleware._decide(i.to_bytes(4, "big"), clock.now, 60)
    clock.now += 2
    middleware._prune(clock.now)
    assert middleware._tat == {}
