"""The Socket.IO transport of apertur_ext._events (sync and async) against a real python-socketio
AsyncServer served by uvicorn on loopback (session:join implemented here, as the official SDK
uses it). The SSE transport is tested in test_events_sse.py and, with apertur_local, in tests/e2e.

Waits are on events arriving over the socket (with generous timeouts), never on a clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
import socketio
import uvicorn

from apertur_api.models.realtime_image_event import RealtimeImageEvent
from apertur_ext import Apertur, AsyncApertur
from apertur_ext._core.exceptions import AperturError, APIConnectionError, InvalidInputError
from apertur_ext._events.subscription import (
    IMAGE_EVENTS,
    Callback,
    Event,
    EventsUnavailableError,
)
from apertur_ext._events.subscription import AsyncEventSubscription as AsyncSubscription
from apertur_ext._events.subscription import EventSubscription as SyncSubscription

NS = "/upload"
KEY = "aptr_test_socketio"
UUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
FAST = {"reconnection_delay": 0.02, "reconnection_delay_max": 0.05, "connect_timeout": 5}
WAIT = 10.0


def EventSubscription(url: str, uuid: str, **options: Any) -> SyncSubscription:  # noqa: N802
    """A Socket.IO subscription of a client whose base URL is ``url`` (not connected)."""
    return SyncSubscription(Apertur(KEY, base_url=url)._core, uuid, "socketio", **options)


def AsyncEventSubscription(url: str, uuid: str, **options: Any) -> AsyncSubscription:  # noqa: N802
    return AsyncSubscription(AsyncApertur(KEY, base_url=url)._core, uuid, "socketio", **options)


def subscribe(url: str, uuid: str, **options: Any) -> SyncSubscription:
    return EventSubscription(url, uuid, **options).connect()


async def async_subscribe(url: str, uuid: str, **options: Any) -> AsyncSubscription:
    return await AsyncEventSubscription(url, uuid, **options).connect()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class SocketServer:
    """The Apertur upload channel in miniature: namespace /upload, session:join with an ack."""

    def __init__(self, sessions: set[str], port: int = 0) -> None:
        self.sessions = sessions
        self.joins: list[Any] = []
        self.loop: asyncio.AbstractEventLoop | None = None
        self.sio = socketio.AsyncServer(async_mode="asgi")
        self.sio.on("session:join", self._join, namespace=NS)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            socketio.ASGIApp(self.sio), log_level="error", lifespan="off", ws="wsproto"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    async def _join(self, sid: str, uuid: Any) -> dict[str, Any]:
        self.joins.append(uuid)
        if uuid == "no-error-text":
            return {"ok": False}
        if uuid in self.sessions:
            await self.sio.enter_room(sid, uuid, namespace=NS)
            return {"ok": True}
        return {"ok": False, "error": "Session not found"}

    def start(self) -> SocketServer:
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            self.thread.join(0.005)  # uvicorn offers no "started" event to wait on
        assert self.server.started
        self.loop = self.server.servers[0].get_loop()
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(WAIT)

    def run(self, coro: Any) -> Any:
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(WAIT)

    def emit(self, name: str, payload: Any, room: str = UUID) -> None:
        self.run(self.sio.emit(name, payload, room=room, namespace=NS))

    def burst(self, events: list[tuple[str, Any]], room: str = UUID) -> None:
        """Emit ``events`` back to back, from one coroutine."""

        async def emit_all() -> None:
            for name, payload in events:
                await self.sio.emit(name, payload, room=room, namespace=NS)

        self.run(emit_all())

    def kick_all(self) -> None:
        for sid in list(self.sio.eio.sockets):
            self.run(self.sio.eio.disconnect(sid))


@pytest.fixture
def server() -> Iterator[SocketServer]:
    srv = SocketServer({UUID}).start()
    yield srv
    srv.stop()


def next_named(sub: SyncSubscription, name: str) -> Event:
    while True:
        event = sub.next_event(WAIT)
        assert event is not None, f"stream ended before {name}"
        if event.name == name:
            return event


async def anext_named(sub: AsyncSubscription, name: str) -> Event:
    while True:
        event = await sub.next_event(WAIT)
        assert event is not None, f"stream ended before {name}"
        if event.name == name:
            return event


PAYLOAD = {"sessionId": UUID, "imageId": "img_1", "filename": "a.jpg", "sizeBytes": 3}


# --- sync ---------------------------------------------------------------------------------------


def test_join_then_typed_image_events(server: SocketServer) -> None:
    with subscribe(server.url, UUID, **FAST) as sub:
        assert next_named(sub, "connected").raw == {"sessionId": UUID}
        assert server.joins == [UUID]  # the bare UUID string, once
        for name in IMAGE_EVENTS:
            server.emit(name, {**PAYLOAD, "status": name})
        got = [sub.next_event(WAIT) for _ in IMAGE_EVENTS]
    assert [e.name for e in got if e] == list(IMAGE_EVENTS)
    first = got[0]
    assert first is not None
    assert isinstance(first.data, RealtimeImageEvent)
    assert (first.data.image_id, first.data.size_bytes, first.raw["status"]) == (
        "img_1",
        3,
        "image:ready",
    )


def test_callbacks_and_decorator(server: SocketServer) -> None:
    sub = EventSubscription(server.url, UUID, **FAST)
    log: list[str] = []
    done = threading.Event()

    @sub.on("image:delivered")
    def delivered(event: Event) -> None:
        log.append(event.data.destination_id if event.data else "?")

    def record(event: Event) -> None:
        log.append(f"* {event.name}")
        if event.name == "connected":  # its dispatch is not over: the next event waits for it
            server.emit("image:delivered", {**PAYLOAD, "destinationId": "d1"})
            log.append("* connected: done")
        if event.name == "image:delivered":
            done.set()

    sub.on("*", record)
    removed = sub.on("image:delivered", lambda event: log.append("removed"))
    sub.off("image:delivered", removed)
    sub.off("image:delivered", removed)  # absent: no error
    with sub:
        assert done.wait(WAIT)
    # an event's named callbacks, then its "*" ones; the next event only after them
    assert log == ["* connected", "* connected: done", "d1", "* image:delivered", "* close"]


def _ready(n: int) -> tuple[str, dict[str, Any]]:
    return "image:ready", {**PAYLOAD, "imageId": f"i{n}"}


def test_events_are_dispatched_one_at_a_time_in_arrival_order(server: SocketServer) -> None:
    sub = EventSubscription(server.url, UUID, **FAST)
    log: list[str] = []
    inside: list[Event] = []
    overlapped = threading.Event()

    def record(tag: str) -> Callback:
        def callback(event: Event) -> None:
            if event.name != "image:ready":
                return
            if inside:
                overlapped.set()
            inside.append(event)
            if event.raw["imageId"] == "i0":  # room for a later event to cut in, were it able to
                overlapped.wait(0.2)
            log.append(f"{tag} {event.raw['imageId']}")
            inside.pop()

        return callback

    sub.on("image:ready", record("ready"))
    sub.on("*", record("*"))
    with sub:
        next_named(sub, "connected")
        server.burst([_ready(n) for n in range(10)])
        got = [next_named(sub, "image:ready").raw["imageId"] for _ in range(10)]
    assert not overlapped.is_set()
    assert got == [f"i{n}" for n in range(10)]
    assert log == [f"{tag} i{n}" for n in range(10) for tag in ("ready", "*")]


def test_unexpected_payloads_do_not_crash(
    server: SocketServer, caplog: pytest.LogCaptureFixture
) -> None:
    with subscribe(server.url, UUID, **FAST) as sub, caplog.at_level(logging.WARNING, "apertur"):
        next_named(sub, "connected")
        server.emit("image:failed", {"imageId": 5})
        server.emit("image:ready", "just a string")
        server.emit("session:completed", {"count": 2})  # an event this SDK does not know
        server.emit("image:ready", PAYLOAD)
        events = [sub.next_event(WAIT) for _ in range(4)]
    assert [(e.name, e.data is None, e.raw) for e in events if e] == [
        ("image:failed", True, {"imageId": 5}),
        ("image:ready", True, "just a string"),
        ("session:completed", True, {"count": 2}),
        ("image:ready", False, PAYLOAD),
    ]
    assert "unexpected shape" in caplog.text


@pytest.mark.parametrize(
    ("uuid", "message"),
    [("unknown", "Session not found"), ("no-error-text", "session:join rejected")],
)
def test_rejected_join_raises_and_is_a_local_error(
    server: SocketServer, uuid: str, message: str
) -> None:
    seen: list[Event] = []
    sub = EventSubscription(server.url, uuid, **FAST)
    sub.on("error", seen.append)
    with pytest.raises(AperturError, match="session:join rejected") as info:
        sub.connect()
    assert info.value.code == "SESSION_JOIN_REJECTED"
    assert [event.raw for event in seen] == [{"message": message}]
    assert sub.closed


def test_connect_returns_only_once_joined(server: SocketServer) -> None:
    with subscribe(server.url, UUID, **FAST) as sub:
        assert server.joins == [UUID]  # joined before subscribe() returned
        server.emit("image:ready", PAYLOAD)  # so an event emitted right away is not lost
        assert next_named(sub, "image:ready").data is not None


def test_reconnects_and_joins_again(server: SocketServer) -> None:
    sub = subscribe(server.url, UUID, **FAST)
    try:
        next_named(sub, "connected")
        server.stop()  # the transport drops
        assert next_named(sub, "close").raw["reason"]
        again = SocketServer({UUID}, port=server.port).start()
        try:
            next_named(sub, "connected")
            again.emit("image:ready", PAYLOAD)
            assert next_named(sub, "image:ready").data is not None
            assert again.joins == [UUID]
        finally:
            sub.close()
            again.stop()
    finally:
        sub.close()


def test_server_disconnect_ends_the_iterator(server: SocketServer) -> None:
    sub = subscribe(server.url, UUID, **FAST)
    next_named(sub, "connected")
    server.kick_all()
    assert [e.name for e in sub] == ["close"]
    assert sub.next_event(0) is None
    sub.close()


def test_close_ends_the_iterator_after_buffered_events(server: SocketServer) -> None:
    sub = subscribe(server.url, UUID, **FAST)
    got = threading.Event()
    sub.on("image:ready", lambda e: got.set())
    next_named(sub, "connected")
    server.emit("image:ready", PAYLOAD)
    assert got.wait(WAIT)
    sub.close()
    sub.close()  # idempotent
    assert [e.name for e in sub][0] == "image:ready"
    assert list(sub) == []


def test_failing_callback_is_logged_and_isolated(
    server: SocketServer, caplog: pytest.LogCaptureFixture
) -> None:
    sub = EventSubscription(server.url, UUID, **FAST)
    sub.on("connected", lambda e: 1 / 0)
    with caplog.at_level(logging.ERROR, "apertur"), sub:
        assert next_named(sub, "connected").name == "connected"
    assert "callback for connected failed" in caplog.text


def test_buffer_is_bounded(server: SocketServer) -> None:
    sub = EventSubscription(server.url, UUID, max_buffer=2, **FAST)
    kept: list[str] = []
    done = threading.Event()

    def on_marker(event: Event) -> None:  # the events before it are all in the buffer
        kept.extend(e.raw["imageId"] for e in sub.buffer)
        done.set()

    sub.on("session:completed", on_marker)
    with sub:
        server.burst([*(_ready(n) for n in range(5)), ("session:completed", {})])
        assert done.wait(WAIT)
    assert kept == ["i3", "i4"]


def test_connect_failure_is_an_api_connection_error() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    with pytest.raises(APIConnectionError, match="real-time"):
        subscribe(f"http://127.0.0.1:{port}", UUID, **FAST)


def test_arguments_and_repr(server: SocketServer) -> None:
    with pytest.raises(InvalidInputError):
        Apertur(KEY, base_url=server.url).events.subscribe("", transport="socketio")
    with pytest.raises(InvalidInputError):
        EventSubscription(server.url, UUID, max_buffer=0)
    sub = subscribe(server.url + "/", UUID, **FAST)
    with pytest.raises(InvalidInputError):
        sub.connect()
    assert repr(sub) == (
        f"EventSubscription(session_uuid={UUID!r}, transport='socketio', closed=False)"
    )
    sub.close()


@pytest.mark.parametrize("missing", ["socketio", "websocket", "requests"])
def test_missing_extra(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(
        EventsUnavailableError, match=r'pip install "apertur-client\[events\]"'
    ) as exc:
        EventSubscription("http://127.0.0.1:1", UUID)
    assert isinstance(exc.value, AperturError)
    assert isinstance(exc.value, ImportError)


# --- async --------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_join_events_and_async_callbacks(server: SocketServer) -> None:
    seen: list[str] = []

    async def on_any(event: Event) -> None:
        await asyncio.sleep(0)
        seen.append(event.name)

    sub = AsyncEventSubscription(server.url, UUID, **FAST)
    sub.on("*", on_any)
    sub.on("image:ready", lambda e: seen.append("sync callback"))
    async with sub:
        assert (await anext_named(sub, "connected")).raw == {"sessionId": UUID}
        await asyncio.to_thread(server.emit, "image:ready", PAYLOAD)
        await asyncio.to_thread(server.emit, "image:failed", {"nope": True})
        ready = await sub.next_event(WAIT)
        failed = await sub.next_event(WAIT)
    assert ready is not None
    assert failed is not None
    assert isinstance(ready.data, RealtimeImageEvent)
    assert (failed.data, failed.raw) == (None, {"nope": True})
    assert seen == ["connected", "sync callback", "image:ready", "image:failed", "close"]
    assert [e.name async for e in sub] == ["close"]


@pytest.mark.anyio
async def test_async_events_are_dispatched_one_at_a_time_in_arrival_order(
    server: SocketServer,
) -> None:
    sub = AsyncEventSubscription(server.url, UUID, **FAST)
    log: list[str] = []
    inside: list[Event] = []
    overlapped = asyncio.Event()

    def record(tag: str) -> Callable[[Event], Awaitable[None]]:
        async def callback(event: Event) -> None:
            if event.name != "image:ready":
                return
            if inside:
                overlapped.set()
            inside.append(event)
            if event.raw["imageId"] == "i0":  # room for a later event to cut in, were it able to
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(overlapped.wait(), 0.2)
            await asyncio.sleep(0)
            log.append(f"{tag} {event.raw['imageId']}")
            inside.pop()

        return callback

    sub.on("image:ready", record("ready"))
    sub.on("*", record("*"))
    async with sub:
        await anext_named(sub, "connected")
        await asyncio.to_thread(server.burst, [_ready(n) for n in range(10)])
        got = [(await anext_named(sub, "image:ready")).raw["imageId"] for _ in range(10)]
    assert not overlapped.is_set()
    assert got == [f"i{n}" for n in range(10)]
    assert log == [f"{tag} i{n}" for n in range(10) for tag in ("ready", "*")]


@pytest.mark.anyio
async def test_async_rejected_join_raises(server: SocketServer) -> None:
    with pytest.raises(AperturError, match="Session not found"):
        await async_subscribe(server.url, "unknown", **FAST)


@pytest.mark.anyio
async def test_async_iteration_ends_when_the_server_drops_us(server: SocketServer) -> None:
    sub = await async_subscribe(server.url, UUID, **FAST)
    await asyncio.to_thread(server.kick_all)
    assert [e.name async for e in sub] == ["connected", "close"]
    await sub.close()
    assert await sub.next_event(0.01) is None


@pytest.mark.anyio
async def test_async_reconnects_and_joins_again(server: SocketServer) -> None:
    sub = await async_subscribe(server.url, UUID, **FAST)
    try:
        await anext_named(sub, "connected")
        await asyncio.to_thread(server.stop)
        await anext_named(sub, "close")
        again = await asyncio.to_thread(lambda: SocketServer({UUID}, port=server.port).start())
        try:
            await anext_named(sub, "connected")
            assert again.joins == [UUID]
        finally:
            await sub.close()
            await asyncio.to_thread(again.stop)
    finally:
        await sub.close()


@pytest.mark.anyio
async def test_async_connect_failure_and_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(APIConnectionError):
        await async_subscribe(f"http://127.0.0.1:{port}", UUID, **FAST)
    monkeypatch.setitem(sys.modules, "aiohttp", None)
    with pytest.raises(EventsUnavailableError, match="aiohttp"):
        AsyncEventSubscription("http://127.0.0.1:1", UUID)


def test_sync_async_parity() -> None:
    import inspect

    for name in ("connect", "next_event", "close", "on", "off"):
        sync = inspect.signature(getattr(SyncSubscription, name))
        asyn = inspect.signature(getattr(AsyncSubscription, name))
        assert list(sync.parameters) == list(asyn.parameters), name


@pytest.mark.anyio
async def test_async_failing_callback_bounded_buffer_and_timeout(
    server: SocketServer, caplog: pytest.LogCaptureFixture
) -> None:
    sub = AsyncEventSubscription(server.url, UUID, max_buffer=2, **FAST)
    count, done = [0], asyncio.Event()

    async def on_ready(event: Event) -> None:
        count[0] += 1
        if count[0] == 4:
            done.set()
        raise RuntimeError("callback bug")

    sub.on("image:ready", on_ready)
    with caplog.at_level(logging.ERROR, "apertur"):
        async with sub:
            await anext_named(sub, "connected")
            for n in range(4):
                await asyncio.to_thread(server.emit, "image:ready", {**PAYLOAD, "imageId": f"i{n}"})
            await asyncio.wait_for(done.wait(), WAIT)
            events = [await sub.next_event(0.01) for _ in range(3)]
    assert [e.raw["imageId"] for e in events if e] == ["i2", "i3"]
    assert "callback for image:ready failed" in caplog.text
