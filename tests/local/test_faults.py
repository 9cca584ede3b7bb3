"""Tests for apertur_local._faults: every action over real HTTP (httpx → uvicorn on loopback)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from apertur_local._faults import (
    Fault,
    FaultMiddleware,
    FaultPlan,
    FaultRule,
    InjectedDisconnect,
    fault_routes,
)

pytestmark = pytest.mark.anyio

UPLOAD = "/api/v1/upload/s1/images"
DATA = "/api/v1/data"
EVENTS = "/api/v1/events"


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


class App:
    """A tiny app that counts stored uploads, wrapped in FaultMiddleware."""

    def __init__(self) -> None:
        self.stored = 0
        self.stored_bytes = 0
        self.slept: list[float] = []
        self.lifespan_ran = False
        self.plan = FaultPlan()

        async def upload(request: Request) -> Response:
            self.stored_bytes += len(await request.body())
            self.stored += 1
            return JSONResponse({"stored": self.stored}, status_code=201)

        async def data(request: Request) -> Response:
            return PlainTextResponse("x" * 1000)

        async def events(request: Request) -> Response:
            """An endless event stream (heartbeat, then one event per write)."""

            async def frames() -> AsyncIterator[bytes]:
                yield b": heartbeat\n\n"
                number = 0
                while True:
                    number += 1
                    yield f"id: {number}\nevent: tick\ndata: {{}}\n\n".encode()
                    await asyncio.sleep(0)

            return StreamingResponse(frames(), media_type="text/event-stream")

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            self.lifespan_ran = True
            yield

        async def fake_sleep(seconds: float) -> None:
            self.slept.append(seconds)

        routes = [
            Route(UPLOAD, upload, methods=["POST"]),
            Route(DATA, data),
            Route(EVENTS, events),
            *fault_routes(self.plan),
        ]
        inner = Starlette(routes=routes, lifespan=lifespan)
        self.asgi = FaultMiddleware(inner, self.plan, sleep=fake_sleep)


@contextlib.asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """Run ``app`` under uvicorn on a free loopback port in this event loop."""
    # Let uvicorn bind port 0 itself: a socket made with socket.socket() has proto 0, so asyncio
    # would not set TCP_NODELAY on accepted connections and every response would pay Nagle's
    # 40 ms delayed-ACK stall.
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
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
async def server() -> AsyncIterator[tuple[App, str]]:
    """One server for the module; :func:`env` resets it for each test."""
    app = App()
    async with serve(app.asgi) as url:
        yield app, url


@pytest.fixture
async def env(server: tuple[App, str]) -> AsyncIterator[tuple[App, httpx.AsyncClient]]:
    app, url = server
    app.plan.clear()
    app.stored = app.stored_bytes = 0
    app.slept.clear()
    async with httpx.AsyncClient(base_url=url) as client:
        yield app, client


async def add(client: httpx.AsyncClient, rules: Any) -> None:
    response = await client.post("/_local/faults", json=rules)
    assert response.status_code == 201, response.text


async def test_no_rules_passes_through(env: tuple[App, httpx.AsyncClient]) -> None:
    app, client = env
    assert app.lifespan_ran
    response = await client.post(UPLOAD, content=b"img")
    assert response.status_code == 201
    assert app.stored == 1


async def test_status_fault_with_retry_after(env: tuple[App, httpx.AsyncClient]) -> None:
    app, client = env
    await add(
        client,
        {
            "method": "POST",
            "path": r"^/api/v1/upload/[^/]+/images$",
            "count": 2,
            "action": "status",
            "status": 503,
            "retry_after": 1,
        },
    )
    assert (await client.get(DATA)).status_code == 200  # path does not match
    big = b"\0" * (2 * 1024 * 1024)  # drained, so the client sees the answer, not a broken pipe
    for _ in range(2):
        response = await client.post(UPLOAD, content=big)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json() == {
            "message": "Injected fault: HTTP 503",
            "code": "SERVICE_UNAVAILABLE",
        }
    assert app.stored == 0
    assert (await client.post(UPLOAD, content=b"ok")).status_code == 201
    assert app.stored == 1


async def test_status_fault_custom_body_and_http_date(env: tuple[App, httpx.AsyncClient]) -> None:
    _, client = env
    date = "Wed, 21 Oct 2026 07:28:00 GMT"
    await add(
        client,
        [
            {
                "path": "data",
                "action": "status",
                "status": 429,
                "retry_after": date,
                "body": {"message": "slow down", "code": "RATE_LIMITED"},
            }
        ],
    )
    response = await client.get(DATA)
    assert response.status_code == 429
    assert response.headers["retry-after"] == date
    assert response.json() == {"message": "slow down", "code": "RATE_LIMITED"}


async def test_default_code_for_other_statuses(env: tuple[App, httpx.AsyncClient]) -> None:
    _, client = env
    await add(client, {"rules": [{"path": "data", "action": "status", "status": 500}]})
    response = await client.get(DATA)
    assert response.status_code == 500
    assert response.json()["code"] == "INJECTED_FAULT"
    assert "retry-after" not in response.headers


async def test_close_before_is_a_connection_error_and_stores_nothing(
    env: tuple[App, httpx.AsyncClient], caplog: pytest.LogCaptureFixture
) -> None:
    app, client = env
    await add(client, {"method": "POST", "path": "images", "action": "close_before"})
    with caplog.at_level(logging.ERROR), pytest.raises(httpx.RemoteProtocolError):
        await client.post(UPLOAD, content=b"img")
    assert app.stored == 0
    assert not [r for r in caplog.records if "Exception in ASGI" in r.getMessage()]
    assert (await client.post(UPLOAD, content=b"img")).status_code == 201


async def test_close_before_large_upload_is_transport_error(
    env: tuple[App, httpx.AsyncClient],
) -> None:
    app, client = env
    await add(client, {"path": "images", "action": "close_before"})
    with pytest.raises(httpx.TransportError):
        await client.post(UPLOAD, content=b"\0" * (4 * 1024 * 1024))
    assert app.stored == 0


async def test_close_after_runs_the_app(env: tuple[App, httpx.AsyncClient]) -> None:
    app, client = env
    await add(client, {"method": "POST", "path": "images", "action": "close_after"})
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post(UPLOAD, content=b"abc")
    assert app.stored == 1
    assert app.stored_bytes == 3


async def test_delay_sleeps_then_passes_through(env: tuple[App, httpx.AsyncClient]) -> None:
    app, client = env
    await add(client, {"path": "data", "action": "delay", "delay": 2.5})
    response = await client.get(DATA)
    assert response.status_code == 200
    assert app.slept == [2.5]


async def _read_into(response: httpx.Response, received: bytearray) -> None:
    async for chunk in response.aiter_raw():
        received.extend(chunk)


@pytest.mark.parametrize(("keep", "expected"), [(None, 500), (10, 10), (5000, 999)])
async def test_truncate_sends_real_length_and_part_of_body(
    env: tuple[App, httpx.AsyncClient], keep: int | None, expected: int
) -> None:
    _, client = env
    rule: dict[str, Any] = {"path": "data", "action": "truncate"}
    if keep is not None:
        rule["keep_bytes"] = keep
    await add(client, rule)
    received = bytearray()
    async with client.stream("GET", DATA) as response:
        assert response.status_code == 200
        assert response.headers["content-length"] == "1000"
        with pytest.raises(httpx.RemoteProtocolError):
            await _read_into(response, received)
    assert len(received) == expected


@pytest.mark.parametrize("after", [0, 1, 3])
async def test_drop_stream_cuts_an_event_stream_after_n_events(
    env: tuple[App, httpx.AsyncClient], after: int
) -> None:
    _, client = env
    await add(client, {"path": "events$", "action": "drop_stream", "after_events": after})
    received = bytearray()
    async with client.stream("GET", EVENTS) as response:
        assert response.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            await _read_into(response, received)
    ids = [line for line in bytes(received).split(b"\n") if line.startswith(b"id: ")]
    assert ids == [f"id: {n}".encode() for n in range(1, after + 1)]
    listed = (await client.get("/_local/faults")).json()
    assert listed["rules"] == []
    assert listed["injected"] == {"drop_stream": 1}
    async with client.stream("GET", EVENTS) as response:  # the rule was used up
        async for line in response.aiter_lines():
            if line == "id: 5":
                break


async def test_drop_stream_leaves_a_shorter_response_alone(
    env: tuple[App, httpx.AsyncClient],
) -> None:
    _, client = env
    await add(client, {"path": "data", "action": "drop_stream", "after_events": 1})
    response = await client.get(DATA)
    assert response.status_code == 200
    assert response.text == "x" * 1000


async def test_control_plane_lists_and_clears(env: tuple[App, httpx.AsyncClient]) -> None:
    _, client = env
    await add(client, {"action": "status", "count": 3})  # matches every path except /_local/
    assert (await client.get(DATA)).status_code == 503
    listed = (await client.get("/_local/faults")).json()
    assert listed["rules"] == [
        {"action": "status", "status": 503, "method": None, "path": "", "remaining": 2}
    ]
    assert listed["injected"] == {"status:503": 1}
    assert listed["chaos"] is None
    assert (await client.delete("/_local/faults")).status_code == 204
    assert (await client.get(DATA)).status_code == 200
    assert (await client.get("/_local/faults")).json() == {
        "rules": [],
        "chaos": None,
        "injected": {},
    }


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b'{"action": "explode"}',
        b'{"action": "status", "status": 99}',
        b'{"action": "status", "path": "("}',
        b'{"action": "delay", "delay": -1}',
        b'{"action": "status", "count": 0}',
        b"[1]",
    ],
)
async def test_invalid_rules_rejected(env: tuple[App, httpx.AsyncClient], payload: bytes) -> None:
    _, client = env
    response = await client.post("/_local/faults", content=payload)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert isinstance(body["message"], str)


async def _statuses(client: httpx.AsyncClient, n: int) -> list[int]:
    return [(await client.get(DATA)).status_code for _ in range(n)]


async def test_chaos_is_seeded_weighted_and_counted(env: tuple[App, httpx.AsyncClient]) -> None:
    _, client = env
    chaos = {
        "ratio": 0.5,
        "seed": 7,
        "path": "^/api/v1/",
        "actions": [
            {"action": "status", "status": 503, "retry_after": 1, "weight": 3},
            {"action": "status", "status": 429, "weight": 1},
        ],
    }
    assert (await client.put("/_local/faults/chaos", json=chaos)).status_code == 200
    first = await _statuses(client, 60)
    snapshot = (await client.get("/_local/faults")).json()
    assert snapshot["chaos"]["requests_seen"] == 60
    injected = snapshot["injected"]
    assert injected.get("status:503", 0) == first.count(503)
    assert injected.get("status:429", 0) == first.count(429)
    assert 0 < first.count(200) < 60
    assert first.count(503) > first.count(429)
    # Same seed, same sequence.
    assert (await client.put("/_local/faults/chaos", json=chaos)).status_code == 200
    assert await _statuses(client, 60) == first
    assert (await client.delete("/_local/faults/chaos")).status_code == 204
    assert await _statuses(client, 5) == [200] * 5


async def test_rules_take_precedence_over_chaos(env: tuple[App, httpx.AsyncClient]) -> None:
    _, client = env
    chaos = {"ratio": 1, "actions": [{"action": "status", "status": 502}]}
    assert (await client.post("/_local/faults/chaos", json=chaos)).status_code == 200
    await add(client, {"path": "data", "action": "status", "status": 418})
    assert await _statuses(client, 2) == [418, 502]


async def test_invalid_chaos_rejected(env: tuple[App, httpx.AsyncClient]) -> None:
    _, client = env
    response = await client.put("/_local/faults/chaos", json={"ratio": 2, "actions": []})
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"


async def test_websocket_and_lifespan_scopes_untouched() -> None:
    seen: list[str] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    plan = FaultPlan()
    plan.add(FaultRule(Fault("close_before"), count=10))
    middleware = FaultMiddleware(inner, plan)

    async def receive() -> Any:
        raise AssertionError("not called")

    async def send(message: Any) -> None:
        raise AssertionError("not called")

    await middleware({"type": "lifespan"}, receive, send)
    await middleware({"type": "websocket", "path": "/socket.io/"}, receive, send)
    await middleware({"type": "http", "path": "/_local/faults", "method": "GET"}, receive, send)
    assert seen == ["lifespan", "websocket", "http"]
    assert plan.snapshot()["injected"] == {}


async def test_abort_raises_even_where_the_server_accepts_the_status() -> None:
    sent: list[Any] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("app must not run")

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        raise AssertionError("must read nothing")

    plan = FaultPlan()
    plan.add(FaultRule(Fault("close_before")))
    with pytest.raises(InjectedDisconnect):
        await FaultMiddleware(inner, plan)(
            {"type": "http", "path": "/x", "method": "GET"}, receive, send
        )
    assert sent[0]["status"] == 999
