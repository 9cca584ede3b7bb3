"""Tests for apertur_local._realtime with socketio.AsyncClient against uvicorn on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import socketio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from apertur_local._realtime import NAMESPACE, Realtime

pytestmark = pytest.mark.anyio

KNOWN = "7f9c2ba4-e88f-4b3c-9d1a-000000000001"
OTHER = "7f9c2ba4-e88f-4b3c-9d1a-000000000002"


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


def _exists(session_id: str) -> bool:
    if session_id == "boom":
        raise RuntimeError("store unavailable")
    return session_id in {KNOWN, OTHER}


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


class Harness:
    def __init__(self) -> None:
        self.lifespan_ran = False
        self.realtime = Realtime(_exists)

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            self.lifespan_ran = True
            yield

        async def ping(request: Request) -> PlainTextResponse:
            return PlainTextResponse("pong")

        inner = Starlette(routes=[Route("/ping", ping)], lifespan=lifespan)
        self.app = self.realtime.wrap(inner)


@pytest.fixture(scope="module")
async def harness() -> AsyncIterator[tuple[Harness, str]]:
    h = Harness()
    async with serve(h.app) as url:
        yield h, url


@contextlib.asynccontextmanager
async def connected(url: str) -> AsyncIterator[socketio.AsyncClient]:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(
        url,
        namespaces=[NAMESPACE],
        socketio_path="socket.io",
        transports=["websocket"],
        wait_timeout=5,
    )
    try:
        yield client
    finally:
        await client.disconnect()


async def _join(client: socketio.AsyncClient, *args: Any) -> Any:
    data: Any = args[0] if len(args) == 1 else (tuple(args) if args else None)
    return await client.call("session:join", data, namespace=NAMESPACE, timeout=5)


async def test_lifespan_and_http_pass_through(harness: tuple[Harness, str]) -> None:
    h, url = harness
    assert h.lifespan_ran
    async with httpx.AsyncClient() as http:
        response = await http.get(url + "/ping")
    assert response.text == "pong"


async def test_join_known_session(harness: tuple[Harness, str]) -> None:
    # Only the websocket transport is exercised: a polling client's disconnect waits out the
    # 25 s ping interval. Both transports share the same handlers.
    _, url = harness
    async with connected(url) as client:
        assert await _join(client, KNOWN) == {"ok": True}


@pytest.mark.parametrize(
    "args",
    [("nope",), ("",), ("boom",), (123,), ({"id": KNOWN},), (KNOWN, "extra"), ("x" * 500,)],
)
async def test_join_rejected(harness: tuple[Harness, str], args: tuple[Any, ...]) -> None:
    _, url = harness
    async with connected(url) as client:
        assert await _join(client, *args) == {"ok": False, "error": "session not found"}


async def test_join_without_argument_rejected(harness: tuple[Harness, str]) -> None:
    _, url = harness
    async with connected(url) as client:
        ack = await client.call("session:join", namespace=NAMESPACE, timeout=5)
    assert ack == {"ok": False, "error": "session not found"}


async def test_emit_reaches_joined_room_only(harness: tuple[Harness, str]) -> None:
    h, url = harness
    received: list[tuple[str, Any]] = []
    done = asyncio.Event()

    async with connected(url) as client:

        @client.on("image:failed", namespace=NAMESPACE)  # type: ignore[untyped-decorator]
        async def on_failed(data: Any) -> None:
            received.append(("image:failed", data))

        @client.on("image:ready", namespace=NAMESPACE)  # type: ignore[untyped-decorator]
        async def on_ready(data: Any) -> None:
            received.append(("image:ready", data))
            done.set()

        assert await _join(client, KNOWN) == {"ok": True}
        # Emitted first to a room the client did not join: were it delivered, it would arrive
        # before the second event on the same connection.
        await h.realtime.emit(OTHER, "image:failed", {"imageId": "img_0"})
        await h.realtime.emit(KNOWN, "image:ready", {"imageId": "img_1", "sizeBytes": 3})
        await asyncio.wait_for(done.wait(), 5)
    assert received == [("image:ready", {"imageId": "img_1", "sizeBytes": 3})]


@pytest.mark.parametrize(
    "event",
    ["image:ready", "image:delivering", "image:delivered", "image:failed", "session:completed"],
)
async def test_every_event_name_is_delivered(harness: tuple[Harness, str], event: str) -> None:
    h, url = harness
    got: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    async with connected(url) as client:
        client.on(event, lambda data: got.set_result(data), namespace=NAMESPACE)
        assert await _join(client, KNOWN) == {"ok": True}
        await h.realtime.emit(KNOWN, event, {"event": event})
        assert await asyncio.wait_for(got, 5) == {"event": event}


async def test_emit_unknown_event_rejected() -> None:
    with pytest.raises(ValueError, match="unknown realtime event"):
        await Realtime(_exists).emit(KNOWN, "image:unknown", {})


async def test_emit_without_listeners_is_noop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is handed to Socket.IO for a session nobody joined (an upload's event costs no
    encoding then)."""
    realtime = Realtime(_exists)
    handed: list[str] = []

    async def emit(event: str, *args: Any, **kwargs: Any) -> None:
        handed.append(event)

    monkeypatch.setattr(realtime.sio, "emit", emit)
    await realtime.emit(KNOWN, "image:ready", {"imageId": "x"})
    assert handed == []


async def test_a_client_that_stops_reading_is_dropped_before_its_queue_grows() -> None:
    """A polling client joins, then never polls again (it reads nothing); its Engine.IO queue
    stops at ``max_queued`` packets: it is dropped from the session instead of growing."""
    realtime = Realtime(_exists, max_queued=5)
    app = realtime.wrap(Starlette())
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as http:
        base = "/socket.io/?EIO=4&transport=polling"
        opened = (await http.get(base)).text
        assert opened.startswith("0")
        eio_sid = json.loads(opened[1:])["sid"]
        polling = f"{base}&sid={eio_sid}"
        await http.post(polling, content=f"40{NAMESPACE},")
        assert (await http.get(polling)).text.startswith(f"40{NAMESPACE},")
        await http.post(polling, content=f'42{NAMESPACE},1["session:join","{KNOWN}"]')
        assert (await http.get(polling)).text == f'43{NAMESPACE},1[{{"ok":true}}]'
        # from now on the client reads nothing
        for number in range(50):
            await realtime.emit(KNOWN, "image:ready", {"imageId": f"img_{number}"})
        members = list(realtime.sio.manager.get_participants(NAMESPACE, KNOWN))
        assert members == []
        client = realtime.sio.eio.sockets.get(eio_sid)
        assert client is None or client.queue.qsize() <= 5


async def test_any_origin_may_join_a_session_it_knows_and_change_nothing(
    harness: tuple[Harness, str],
) -> None:
    """The namespace is session-capability based (see Realtime): a foreign origin connects,
    cannot join a session it does not know, and has no event that changes anything."""
    h, url = harness
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(
        url,
        namespaces=[NAMESPACE],
        transports=["websocket"],
        headers={"Origin": "http://evil.example"},
        wait_timeout=5,
    )
    try:
        assert await _join(client, "7f9c2ba4-e88f-4b3c-9d1a-00000000dead") == {
            "ok": False,
            "error": "session not found",
        }
        assert await _join(client, KNOWN) == {"ok": True}
        handlers = set(h.realtime.sio.handlers[NAMESPACE])
        assert handlers == {"connect", "session:join"}  # nothing a client can use to write
    finally:
        await client.disconnect()
