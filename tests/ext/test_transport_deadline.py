"""Tests for the deadline on the sockets of a call (apertur_ext._core.deadline and .sockets).

A server dripping a response's status line and headers one byte at a time, for far longer than
the call's timeout, is cut off at the deadline: the server sees the connection closed after a
few of its bytes (counted, not timed). The backends' cutting is checked on a fake clock, and the
context variable is seen by the attempts and body reads of its own call only.
"""

# ruff: noqa: ASYNC109 - the fakes implement httpcore's backend interface.
from __future__ import annotations

import contextlib
import http.server
import select
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import anyio.lowlevel
import httpcore
import httpx
import pytest

from apertur_ext import (
    Apertur,
    APITimeoutError,
    AsyncApertur,
    UploadMayHaveBeenStoredError,
)
from apertur_ext._core.deadline import CALL_DEADLINE, time_left
from apertur_ext._core.retry import RetryPolicy
from apertur_ext._core.sockets import bound_pool
from apertur_ext._core.transport import RetryTransport

KEY = "aptr_test_deadline"
INTERVAL = 0.2  # seconds between two dripped bytes
# The response head, dripped: a status line, then a header that never ends (200 bytes: 40 s).
STATUS = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
HEAD = STATUS + b"X-Drip: " + b"a" * (200 - len(STATUS) - 8)


class DripServer:
    """Loopback server for one connection: reads the request, sends ``prefix`` at once, then
    ``drip`` one byte every :data:`INTERVAL` seconds, stopping when the client closes."""

    def __init__(self, drip: bytes, prefix: bytes = b"") -> None:
        self.drip, self.prefix = drip, prefix
        self.sent = 0  # bytes of ``drip`` sent
        self.client_closed = threading.Event()
        self.finished = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self._sock.accept()
            with conn:
                received = b""
                while b"\r\n\r\n" not in received:
                    data = conn.recv(65536)
                    if not data:
                        return
                    received += data
                conn.sendall(self.prefix)
                while self.sent < len(self.drip):
                    readable, _, _ = select.select([conn], [], [], INTERVAL)
                    if readable:  # the rest of a request body, or the client closing
                        try:
                            data = conn.recv(65536)
                        except OSError:
                            data = b""
                        if not data:
                            self.client_closed.set()
                            return
                        continue
                    conn.sendall(self.drip[self.sent : self.sent + 1])
                    self.sent += 1
        finally:
            self.finished.set()

    def close(self) -> None:
        self._sock.close()
        self._thread.join(timeout=60)


@contextlib.contextmanager
def dripping(drip: bytes, prefix: bytes = b"") -> Iterator[DripServer]:
    server = DripServer(drip, prefix)
    try:
        yield server
    finally:
        server.close()


def cut_off_early(server: DripServer) -> None:
    """The server saw the client close the connection long before its drip ended."""
    assert server.finished.wait(60)
    assert server.client_closed.is_set()
    assert server.sent < len(server.drip) // 2, (server.sent, len(server.drip))


# --- a dripped response head ends at the deadline -----------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "drip"),
    [(b"", HEAD), (STATUS, HEAD[len(STATUS) :])],
    ids=["status-line", "headers"],
)
def test_a_dripped_head_ends_at_the_deadline_sync(prefix: bytes, drip: bytes) -> None:
    with dripping(drip, prefix) as server:
        with Apertur(api_key=KEY, base_url=server.url, max_retries=0) as client:
            with pytest.raises(APITimeoutError):
                client.sessions.get("s1", timeout=1)
        cut_off_early(server)


def test_a_dripped_head_ends_at_the_deadline_async() -> None:
    async def call(url: str) -> None:
        async with AsyncApertur(api_key=KEY, base_url=url, max_retries=0) as client:
            with pytest.raises(APITimeoutError):
                await client.sessions.get("s1", timeout=1)

    with dripping(HEAD) as server:
        anyio.run(call, server.url)
        cut_off_early(server)


def test_a_dripped_head_ends_an_upload_at_its_deadline() -> None:
    # Its body was sent, so the timeout is reported as an upload the server may have stored.
    image = b"\x89PNG\r\n\x1a\n" + bytes(100)
    with dripping(HEAD) as server:
        with Apertur(api_key=KEY, base_url=server.url, max_retries=0) as client:
            with pytest.raises(UploadMayHaveBeenStoredError) as caught:
                client.upload.image("s1", image, timeout=1)
        assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
        cut_off_early(server)


def test_a_dripped_head_ends_an_async_upload_at_its_deadline() -> None:
    async def call(url: str) -> None:
        image = b"\x89PNG\r\n\x1a\n" + bytes(100)
        async with AsyncApertur(api_key=KEY, base_url=url, max_retries=0) as client:
            with pytest.raises(UploadMayHaveBeenStoredError):
                await client.upload.image("s1", image, timeout=1)

    with dripping(HEAD) as server:
        anyio.run(call, server.url)
        cut_off_early(server)


# --- normal calls over the wrapped sockets ----------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: later calls reuse the connection

    def do_GET(self) -> None:
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def plain_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/x"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.mark.parametrize("timeout", [5.0, None])
def test_normal_calls_work_on_the_default_transports(plain_server: str, timeout: Any) -> None:
    transport = RetryTransport()
    with httpx.Client(transport=transport, timeout=timeout) as client:
        for _ in range(3):  # the first opens the connection, the others reuse it
            response = client.get(plain_server)
            assert response.json() == {"ok": True}
    assert CALL_DEADLINE.get() is None

    async def go() -> None:
        async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
            for _ in range(3):
                response = await client.get(plain_server)
                assert response.json() == {"ok": True}
        assert CALL_DEADLINE.get() is None

    anyio.run(go)


def test_the_default_pools_get_the_deadline_backends() -> None:
    """Pins where httpx and httpcore keep the pool and its backend: if an upgrade moves them,
    the SDK still works but heads are no longer held to the deadline, and this fails."""
    transport = RetryTransport()
    sync_pool: Any = getattr(transport._sync_inner(), "_pool", None)
    async_pool: Any = getattr(transport._async_inner(), "_pool", None)
    assert type(sync_pool._network_backend).__name__ == "_Backend"
    assert type(async_pool._network_backend).__name__ == "_AsyncBackend"
    assert isinstance(sync_pool._network_backend._backend, httpcore.SyncBackend)
    assert bound_pool(transport._sync_inner())  # again: not wrapped twice
    assert isinstance(sync_pool._network_backend._backend, httpcore.SyncBackend)


def test_a_transport_without_the_expected_pool_is_left_alone() -> None:
    mock = httpx.MockTransport(lambda request: httpx.Response(200))
    assert not bound_pool(mock)
    assert not bound_pool(object())

    class Moved:
        _pool = object()

    assert not bound_pool(Moved())


# --- the backends cut each wait to the time left ----------------------------------------------


class FakeStream(httpcore.NetworkStream):
    """Records the timeout each operation is given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, float | None]] = []

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.calls.append(("read", timeout))
        return b"x"

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.calls.append(("write", timeout))

    def close(self) -> None:
        self.calls.append(("close", None))

    def start_tls(self, ssl_context: Any, server_hostname: Any = None, timeout: Any = None) -> Any:
        self.calls.append(("tls", timeout))
        return self

    def get_extra_info(self, info: str) -> Any:
        return f"info:{info}"


class FakeBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.stream = FakeStream()
        self.connects: list[float | None] = []

    def connect_tcp(self, host: str, port: int, timeout: Any = None, **kw: Any) -> Any:
        self.connects.append(timeout)
        return self.stream

    def connect_unix_socket(self, path: str, timeout: Any = None, **kw: Any) -> Any:
        self.connects.append(timeout)
        return self.stream


class AsyncFakeStream(httpcore.AsyncNetworkStream):
    def __init__(self) -> None:
        self.calls: list[tuple[str, float | None]] = []

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.calls.append(("read", timeout))
        return b"x"

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.calls.append(("write", timeout))

    async def aclose(self) -> None:
        self.calls.append(("close", None))

    async def start_tls(
        self, ssl_context: Any, server_hostname: Any = None, timeout: Any = None
    ) -> Any:
        self.calls.append(("tls", timeout))
        return self

    def get_extra_info(self, info: str) -> Any:
        return f"info:{info}"


class AsyncFakeBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.stream = AsyncFakeStream()
        self.connects: list[float | None] = []

    async def connect_tcp(self, host: str, port: int, timeout: Any = None, **kw: Any) -> Any:
        self.connects.append(timeout)
        return self.stream

    async def connect_unix_socket(self, path: str, timeout: Any = None, **kw: Any) -> Any:
        self.connects.append(timeout)
        return self.stream


def wrapped_backend(backend: Any) -> Any:
    """``backend`` as :func:`bound_pool` would wrap it."""

    class Holder:
        pass

    holder = Holder()
    pool = (
        httpcore.ConnectionPool(network_backend=backend)
        if isinstance(backend, httpcore.NetworkBackend)
        else httpcore.AsyncConnectionPool(network_backend=backend)
    )
    holder._pool = pool  # type: ignore[attr-defined]
    assert bound_pool(holder)
    return pool._network_backend


@contextlib.contextmanager
def deadline_at(deadline: float, now: list[float]) -> Iterator[None]:
    token = CALL_DEADLINE.set((deadline, lambda: now[0]))
    try:
        yield
    finally:
        CALL_DEADLINE.reset(token)


def test_sync_waits_are_cut_to_the_time_left() -> None:
    fake = FakeBackend()
    backend = wrapped_backend(fake)
    now = [100.0]
    stream = backend.connect_tcp("h", 1, 30.0)  # no deadline: as given
    stream.read(10, 30.0)
    with deadline_at(110.0, now):
        stream = backend.connect_tcp("h", 1, 30.0)
        stream.read(10, 30.0)
        stream.read(10, 4.0)  # shorter than the time left: kept
        stream.write(b"x", None)  # unbounded: the time left
        tls = stream.start_tls(None, "h", 30.0)
        now[0] = 107.5
        tls.read(10, 30.0)
        assert tls.get_extra_info("socket") == "info:socket"
        now[0] = 110.0  # nothing left: raised, the stream not touched
        before = list(fake.stream.calls)
        with pytest.raises(httpcore.ReadTimeout):
            tls.read(10, 30.0)
        with pytest.raises(httpcore.WriteTimeout):
            tls.write(b"x", 30.0)
        with pytest.raises(httpcore.ConnectTimeout):
            backend.connect_tcp("h", 1, 30.0)
        assert fake.stream.calls == before
        tls.close()
    assert fake.connects == [30.0, 10.0]
    assert fake.stream.calls == [
        ("read", 30.0),
        ("read", 10.0),
        ("read", 4.0),
        ("write", 10.0),
        ("tls", 10.0),
        ("read", 2.5),
        ("close", None),
    ]


def test_async_waits_are_cut_to_the_time_left() -> None:
    fake = AsyncFakeBackend()
    backend = wrapped_backend(fake)
    now = [100.0]

    async def go() -> None:
        stream = await backend.connect_tcp("h", 1, 30.0)
        await stream.read(10, 30.0)
        with deadline_at(110.0, now):
            stream = await backend.connect_unix_socket("/s", 30.0)
            await stream.read(10, 30.0)
            await stream.write(b"x", 4.0)
            tls = await stream.start_tls(None, "h", None)
            now[0] = 109.0
            await tls.read(10, None)
            now[0] = 111.0
            with pytest.raises(httpcore.ReadTimeout):
                await tls.read(10, 30.0)
            with pytest.raises(httpcore.WriteTimeout):
                await tls.write(b"x", 30.0)
            await tls.aclose()

    anyio.run(go)
    assert fake.connects == [30.0, 10.0]
    assert fake.stream.calls == [
        ("read", 30.0),
        ("read", 10.0),
        ("write", 4.0),
        ("tls", 10.0),
        ("read", 1.0),
        ("close", None),
    ]


class TimingOut(FakeStream):
    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        raise httpcore.ReadTimeout("timed out")

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        raise httpcore.WriteTimeout("timed out")


def test_a_wait_ended_by_the_deadline_says_so() -> None:
    fake = FakeBackend()
    fake.stream = TimingOut()
    stream = wrapped_backend(fake).connect_tcp("h", 1, 30.0)
    with deadline_at(110.0, [100.0]):
        with pytest.raises(httpcore.ReadTimeout, match="timed out"):
            stream.read(10, 4.0)  # its own timeout, shorter than the time left
        with pytest.raises(httpcore.ReadTimeout, match="deadline passed while the response"):
            stream.read(10, 30.0)
        with pytest.raises(httpcore.WriteTimeout, match="deadline passed while the request"):
            stream.write(b"x", None)
    with pytest.raises(httpcore.WriteTimeout, match="timed out"):
        stream.write(b"x", 30.0)  # no deadline


def test_time_left_without_a_deadline_is_the_timeout() -> None:
    assert CALL_DEADLINE.get() is None
    assert time_left(3.0, httpcore.ReadTimeout, "late") == 3.0
    assert time_left(None, httpcore.ReadTimeout, "late") is None


# --- the context variable belongs to one call -------------------------------------------------


class FixedClock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


class Seeing(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Records the deadline in force when sending and when each chunk of the body is read."""

    def __init__(self, barrier: threading.Barrier | None = None) -> None:
        self.barrier = barrier
        self.seen: list[tuple[str, str, float | None]] = []
        self.fail = False

    def _see(self, where: str, request: httpx.Request) -> None:
        held = CALL_DEADLINE.get()
        self.seen.append((request.url.path, where, None if held is None else held[0]))

    def _response(self, request: httpx.Request) -> httpx.Response:
        self._see("send", request)
        if self.fail:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, stream=_Body(self, request))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.barrier is not None:
            self.barrier.wait(30)  # both threads are inside their call
        return self._response(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await anyio.lowlevel.checkpoint()
        return self._response(request)


class _Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, seeing: Seeing, request: httpx.Request) -> None:
        self.seeing, self.request = seeing, request

    def __iter__(self) -> Iterator[bytes]:
        for piece in (b"a", b"b"):
            self.seeing._see("body", self.request)
            yield piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in (b"a", b"b"):
            self.seeing._see("body", self.request)
            await anyio.lowlevel.checkpoint()
            yield piece


def seeing_transport(inner: Seeing) -> RetryTransport:
    return RetryTransport(inner, policy=RetryPolicy(0), clock=FixedClock())


def test_each_thread_sees_its_own_calls_deadline_and_none_after() -> None:
    inner = Seeing(threading.Barrier(2))
    transport = seeing_transport(inner)
    errors: list[BaseException] = []

    def call(path: str, timeout: float) -> None:
        try:
            with httpx.Client(transport=transport) as client:
                assert client.get(f"https://api.test/{path}", timeout=timeout).content == b"ab"
            assert CALL_DEADLINE.get() is None
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(p, t)) for p, t in (("a", 5.0), ("b", 7.0))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(inner.seen) == sorted(
        [("/a", "send", 105.0), ("/a", "body", 105.0), ("/a", "body", 105.0)]
        + [("/b", "send", 107.0), ("/b", "body", 107.0), ("/b", "body", 107.0)]
    )
    assert CALL_DEADLINE.get() is None


def test_a_call_without_a_deadline_does_not_see_the_previous_ones() -> None:
    inner = Seeing()
    transport = seeing_transport(inner)
    with httpx.Client(transport=transport) as client:
        client.get("https://api.test/timed", timeout=5.0)
        assert CALL_DEADLINE.get() is None
        client.get("https://api.test/untimed", timeout=None)
        inner.fail = True
        with pytest.raises(httpx.ConnectError):
            client.get("https://api.test/failed", timeout=5.0)
    assert CALL_DEADLINE.get() is None
    assert inner.seen == [
        ("/timed", "send", 105.0),
        ("/timed", "body", 105.0),
        ("/timed", "body", 105.0),
        ("/untimed", "send", None),
        ("/untimed", "body", None),
        ("/untimed", "body", None),
        ("/failed", "send", 105.0),
    ]


def test_concurrent_tasks_each_see_their_own_calls_deadline() -> None:
    inner = Seeing()
    transport = seeing_transport(inner)

    async def go() -> None:
        async with httpx.AsyncClient(transport=transport) as client:

            async def call(path: str, seconds: float | None) -> None:
                response = await client.get(f"https://api.test/{path}", timeout=seconds)
                assert response.content == b"ab"

            async with anyio.create_task_group() as group:
                group.start_soon(call, "a", 5.0)
                group.start_soon(call, "b", 7.0)
                group.start_soon(call, "c", None)
        assert CALL_DEADLINE.get() is None

    anyio.run(go)
    expected = {"/a": 105.0, "/b": 107.0, "/c": None}
    assert len(inner.seen) == 9
    assert all(deadline == expected[path] for path, _, deadline in inner.seen)
