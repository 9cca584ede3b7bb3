"""Limits on the wire, checked with raw sockets under uvicorn's h11 and httptools parsers."""

from __future__ import annotations

import importlib.util
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from localhelpers import client_for, create_session, wait_until

from apertur_local import LocalApertur

PROTOCOLS = [
    "h11",
    pytest.param(
        "httptools",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("httptools") is None, reason="httptools is not installed"
        ),
    ),
]

LIMITS: dict[str, Any] = {"max_request_line": 2048, "max_header_bytes": 8192}


@pytest.fixture(params=PROTOCOLS)
def server(request: pytest.FixtureRequest) -> Iterator[LocalApertur]:
    """Small size limits, generous time limits (nothing here may depend on speed)."""
    with LocalApertur(http=request.param, **LIMITS) as srv:
        yield srv


@pytest.fixture(params=PROTOCOLS)
def impatient(request: pytest.FixtureRequest) -> Iterator[LocalApertur]:
    """Half-second time limits: the tests wait for the server to give up, never the reverse."""
    with LocalApertur(http=request.param, header_timeout=0.5, body_timeout=0.5) as srv:
        yield srv


def _connect(server: LocalApertur) -> socket.socket:
    host, port = server.url.split("//")[1].rsplit(":", 1)
    sock = socket.create_connection((host, int(port)))
    sock.settimeout(15)
    return sock


def _read_answer(
    sock: socket.socket, *, wait_close: bool = True
) -> tuple[str, dict[str, Any], bool]:
    """(status line, JSON body, whether the server then closed the connection)."""
    got = b""
    closed = False
    while True:
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            closed = True
            break
        if not data:
            closed = True
            break
        got += data
        head, sep, body = got.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            None,
        )
        if sep and length is not None and len(body) >= length:
            break
    head, _, body = got.partition(b"\r\n\r\n")
    if not closed and wait_close:
        try:
            closed = sock.recv(1) == b""
        except (ConnectionResetError, BrokenPipeError):
            closed = True
    return head.split(b"\r\n", 1)[0].decode(), json.loads(body or b"{}"), closed


def _stats_request(server: LocalApertur, extra: bytes = b"") -> bytes:
    return (
        b"GET /api/v1/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: Bearer {server.api_key}\r\n".encode()
        + extra
        + b"\r\n"
    )


def test_a_huge_header_is_refused_with_431_before_it_is_read(server: LocalApertur) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /api/v1/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
        sent = 0
        try:
            while sent < 64 * 1024 * 1024:  # the server answers long before 64 MiB
                sock.sendall(b"a" * 65536)
                sent += 65536
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, body, closed = _read_answer(sock)
    assert status in ("HTTP/1.1 431 Request Header Fields Too Large", "")
    if status:
        assert body["code"] == "REQUEST_HEADER_FIELDS_TOO_LARGE"
        assert closed
    assert sent < 16 * 1024 * 1024


@pytest.mark.parametrize("split", [False, True], ids=["one-write", "byte-by-byte-head"])
def test_head_limits_are_exact(server: LocalApertur, split: bool) -> None:
    fits = _stats_request(server, b"X-Pad: " + b"p" * (8192 - 400) + b"\r\n")
    assert len(fits) <= 8192
    with _connect(server) as sock:
        if split:
            for i in range(0, len(fits), 997):
                sock.sendall(fits[i : i + 997])
        else:
            sock.sendall(fits)
        status, _, _ = _read_answer(sock, wait_close=False)
    assert status == "HTTP/1.1 200 OK"
    too_big = _stats_request(server, b"X-Pad: " + b"p" * 8192 + b"\r\n")
    with _connect(server) as sock:
        sock.sendall(too_big)
        status, body, closed = _read_answer(sock)
    assert status == "HTTP/1.1 431 Request Header Fields Too Large"
    assert closed
    assert body["code"] == "REQUEST_HEADER_FIELDS_TOO_LARGE"


def test_a_long_request_line_is_refused_with_414(server: LocalApertur) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /api/v1/stats?" + b"q" * 4096 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        status, body, closed = _read_answer(sock)
    assert status == "HTTP/1.1 414 URI Too Long"
    assert closed
    assert body["code"] == "URI_TOO_LONG"


def test_a_head_that_never_ends_gets_408_and_a_silent_connection_is_closed(
    impatient: LocalApertur,
) -> None:
    server = impatient
    with _connect(server) as slow, _connect(server) as silent:
        slow.sendall(b"GET /api/v1/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        status, body, closed = _read_answer(slow)
        assert status == "HTTP/1.1 408 Request Timeout"
        assert closed
        assert body["code"] == "REQUEST_TIMEOUT"
        assert silent.recv(1) == b""  # closed without a word: it never sent a request


def test_a_stalled_body_gets_408(impatient: LocalApertur) -> None:
    server = impatient
    with _connect(server) as sock:
        sock.sendall(
            b"POST /api/v1/upload-sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + f"Authorization: Bearer {server.api_key}\r\n".encode()
            + b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"tags": ['
        )
        status, body, closed = _read_answer(sock)
    assert status == "HTTP/1.1 408 Request Timeout"
    assert closed
    assert body["code"] == "REQUEST_TIMEOUT"
    with client_for(server) as api:
        assert api.get("/api/v1/sessions").json()["total"] == 0  # nothing was created


def test_keep_alive_requests_on_one_connection_stay_within_limits(server: LocalApertur) -> None:
    with client_for(server) as api:
        for _ in range(5):
            assert (
                api.post("/api/v1/upload-sessions", json={"tags": ["t" * 3000]}).status_code == 201
            )
            assert api.get("/api/v1/sessions?pageSize=1").status_code == 200


def test_beyond_the_concurrency_limit_new_requests_get_503_at_once() -> None:
    with LocalApertur(max_concurrency=4, header_timeout=1.0) as server:
        holders = [_connect(server) for _ in range(4)]
        try:
            for sock in holders:
                sock.sendall(b"GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            wait_until(lambda: _status(server) == 503)
            # the half-sent heads time out (408) and free their places again
            wait_until(lambda: _status(server) == 200)
        finally:
            for sock in holders:
                sock.close()


def _status(server: LocalApertur) -> int:
    with client_for(server) as api:
        return api.get("/api/v1/stats").status_code


def test_limits_can_be_given_on_the_command_line() -> None:
    from apertur_local.__main__ import parser

    args = parser().parse_args(
        [
            "serve",
            "--max-header-bytes",
            "100",
            "--header-timeout",
            "2",
            "--body-timeout",
            "3",
            "--max-request-line",
            "50",
            "--max-concurrency",
            "7",
            "--control-token",
            "t",
        ]
    )
    assert (args.max_header_bytes, args.header_timeout, args.body_timeout) == (100, 2.0, 3.0)
    assert (args.max_request_line, args.max_concurrency, args.control_token) == (50, 7, "t")


@pytest.mark.parametrize("turns", range(6))
def test_a_cancelled_body_read_stays_cancelled(turns: int) -> None:
    """A handler that stops listening for the client (a long poll that got its answer) cancels a
    pending ``receive``: the cancellation must win even when the message arrives in the same
    turn of the loop. (``asyncio.wait_for`` on Python 3.11 returns the message instead, and the
    handler then waits for a disconnect that only comes after its own response.)"""
    import asyncio

    from apertur_local._wire_limits import BodyTimeoutMiddleware

    async def scenario() -> bool:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        reader: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        async def app(scope: Any, timed_receive: Any, send: Any) -> None:
            reader.set_result(asyncio.ensure_future(timed_receive()))

        await BodyTimeoutMiddleware(app, 15.0)({"type": "http"}, receive, None)
        task = await reader
        for _ in range(turns):
            await asyncio.sleep(0)
        pending = task.cancel()  # False: it had already finished, nothing to cancel
        try:
            await task
        except asyncio.CancelledError:
            return True
        return not pending  # a result after a cancel that was accepted: the cancel was lost

    assert asyncio.run(scenario())


@pytest.mark.parametrize("http", PROTOCOLS)
def test_an_event_stream_nobody_reads_is_dropped(http: str) -> None:
    """A client opens an event stream and never reads it; heartbeats (back to back here) fill
    the buffers until the server's writes block. After ``write_timeout`` the server drops the
    connection, and its stream slot (one here) is free again. It used to be held until TCP gave
    up, which it does not while the client's kernel acknowledges."""
    with LocalApertur(
        http=http, event_heartbeat=0, write_timeout=0.5, max_event_streams=1
    ) as server:
        with client_for(server) as api:
            sid = create_session(api)
        path = f"/api/v1/upload/{sid}/events"
        stalled = socket.socket()
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window
        host, port = server.url.split("//")[1].rsplit(":", 1)
        stalled.connect((host, int(port)))
        try:
            stalled.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            with client_for(server) as api:
                # the stalled stream holds the only slot until the server gives up on it
                wait_until(lambda: api.head(path).status_code == 503)
                wait_until(lambda: api.head(path).status_code == 200, timeout=90)
        finally:
            stalled.close()
