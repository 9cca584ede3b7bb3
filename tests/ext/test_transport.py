"""Tests for apertur_ext._core.transport: scripted sequences, sync and async, plus one loopback server."""

from __future__ import annotations

import contextlib
import email.utils
import logging
import pathlib
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from apertur_ext._bodies.multipart import MultipartStream
from apertur_ext._bodies.sources import to_source
from apertur_ext._core.exceptions import AperturError
from apertur_ext._core.retry import RetryPolicy, is_ambiguous_upload_failure
from apertur_ext._core.transport import (
    EXT_DEADLINE,
    EXT_MAX_RETRIES,
    EXT_RETRY_AMBIGUOUS,
    EXT_UPLOAD,
    RetryTransport,
    is_replayable,
)

URL = "https://api.example/api/v1/thing?token=SECRET-QUERY"
Step = httpx.Response | Exception


class Clock:
    """Fake monotonic clock; sleeping advances it and records the delay."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay

    async def async_sleep(self, delay: float) -> None:
        self.sleep(delay)


class Scripted(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Plays ``steps`` in order; consumes the request stream as a real transport would."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[tuple[httpx.Headers, bytes, dict[str, Any]]] = []

    def _play(self, request: httpx.Request, body: bytes) -> httpx.Response:
        timeout = dict(request.extensions.get("timeout", {}))
        self.requests.append((httpx.Headers(request.headers), body, timeout))
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            if isinstance(step, httpx.RequestError):
                step.request = request
            raise step
        return step

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        return self._play(request, b"".join(request.stream))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        return self._play(request, b"".join([c async for c in request.stream]))


Send = Callable[..., httpx.Response]


@pytest.fixture(params=["sync", "async"])
def send(request: pytest.FixtureRequest) -> Send:
    """send(transport, method, url, **kwargs) through httpx.Client or httpx.AsyncClient."""

    def sync_send(transport: RetryTransport, method: str, url: str, **kw: Any) -> httpx.Response:
        with httpx.Client(transport=transport) as client:
            return client.request(method, url, **kw)

    def async_send(transport: RetryTransport, method: str, url: str, **kw: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=transport) as client:
                return await client.request(method, url, **kw)

        return anyio.run(go)

    return sync_send if request.param == "sync" else async_send


def make(
    *steps: Step,
    clock: Clock | None = None,
    sign: Callable[[httpx.Request], None] | None = None,
    **policy: Any,
) -> tuple[RetryTransport, Scripted, Clock]:
    clock = clock or Clock()
    inner = Scripted(*steps)
    transport = RetryTransport(
        inner,
        inner,
        policy=RetryPolicy(rng=lambda: 0.0, **policy),
        sign=sign,
        sleep=clock.sleep,
        async_sleep=clock.async_sleep,
        clock=clock,
        wall_clock=lambda: 1_800_000_000.0,
    )
    return transport, inner, clock


def counts(inner: Scripted) -> list[str]:
    return [headers["x-apertur-retry-count"] for headers, _, _ in inner.requests]


# --- status sequences -------------------------------------------------------------------------


def test_503_503_200(send: Send) -> None:
    transport, inner, clock = make(httpx.Response(503), httpx.Response(503), httpx.Response(200))
    assert send(transport, "GET", URL).status_code == 200
    assert counts(inner) == ["0", "1", "2"]
    assert clock.sleeps == [0.5, 1.0]


def test_429_with_retry_after_sleeps_that_long(send: Send) -> None:
    transport, inner, clock = make(
        httpx.Response(429, headers={"Retry-After": "1"}), httpx.Response(200)
    )
    assert send(transport, "GET", URL).status_code == 200
    assert clock.sleeps == [1.0]


def test_retry_after_above_cap_falls_back_to_backoff(send: Send) -> None:
    transport, _, clock = make(
        httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200)
    )
    assert send(transport, "GET", URL).status_code == 200
    assert clock.sleeps == [0.5]


def test_x_should_retry_false_returns_the_error_at_once(send: Send) -> None:
    transport, inner, clock = make(httpx.Response(503, headers={"x-should-retry": "false"}))
    assert send(transport, "GET", URL).status_code == 503
    assert len(inner.requests) == 1
    assert clock.sleeps == []


def test_retries_exhausted_returns_last_response(send: Send) -> None:
    transport, inner, _ = make(*(httpx.Response(500, text=str(i)) for i in range(3)))
    response = send(transport, "GET", URL)
    assert (response.status_code, response.text) == (500, "2")
    assert len(inner.requests) == 3


def test_per_request_max_retries(send: Send) -> None:
    transport, inner, _ = make(httpx.Response(503), httpx.Response(200))
    response = send(transport, "GET", URL, extensions={EXT_MAX_RETRIES: 0})
    assert response.status_code == 503
    assert len(inner.requests) == 1


def test_connect_error_then_success(send: Send) -> None:
    transport, inner, _ = make(httpx.ConnectError("refused"), httpx.Response(200))
    assert send(transport, "GET", URL).status_code == 200
    assert len(inner.requests) == 2


def test_non_retryable_error_is_raised_unchanged(send: Send) -> None:
    transport, inner, _ = make(httpx.LocalProtocolError("bad"))
    with pytest.raises(httpx.LocalProtocolError):
        send(transport, "GET", URL)
    assert len(inner.requests) == 1


def test_json_body_is_resent_in_full(send: Send) -> None:
    transport, inner, _ = make(httpx.Response(502), httpx.Response(201))
    assert send(transport, "POST", URL, json={"a": 1}).status_code == 201
    assert [body for _, body, _ in inner.requests] == [b'{"a":1}', b'{"a":1}']


# --- deadline ---------------------------------------------------------------------------------


def test_deadline_stops_retries_and_shrinks_timeouts(send: Send) -> None:
    clock = Clock()
    transport, inner, _ = make(
        httpx.Response(503), httpx.Response(503), httpx.Response(200), clock=clock
    )
    deadline = clock.now + 0.7
    response = send(transport, "GET", URL, extensions={EXT_DEADLINE: deadline}, timeout=5.0)
    assert response.status_code == 503  # the 1.0 s second wait would end past the deadline
    assert clock.sleeps == [0.5]
    first, second = (timeout for _, _, timeout in inner.requests)
    assert first == pytest.approx(dict.fromkeys(["connect", "read", "write", "pool"], 0.7))
    assert second["read"] == pytest.approx(0.2)


def test_no_timeout_becomes_the_time_left(send: Send) -> None:
    transport, inner, clock = make(httpx.Response(200))
    send(transport, "GET", URL, extensions={EXT_DEADLINE: clock.now + 3}, timeout=None)
    assert inner.requests[0][2] == dict.fromkeys(["connect", "read", "write", "pool"], 3.0)


def test_expired_deadline_sends_nothing(send: Send) -> None:
    transport, inner, clock = make(httpx.Response(200))
    with pytest.raises(httpx.ConnectTimeout, match="deadline"):
        send(transport, "GET", URL, extensions={EXT_DEADLINE: clock.now - 1})
    assert inner.requests == []


# --- uploads ----------------------------------------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def send_request(
    request: pytest.FixtureRequest,
) -> Callable[[RetryTransport, httpx.Request], httpx.Response]:
    def sync_send(transport: RetryTransport, req: httpx.Request) -> httpx.Response:
        with httpx.Client(transport=transport) as client:
            return client.send(req)

    def async_send(transport: RetryTransport, req: httpx.Request) -> httpx.Response:
        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=transport) as client:
                return await client.send(req)

        return anyio.run(go)

    return sync_send if request.param == "sync" else async_send


SendRequest = Callable[[RetryTransport, httpx.Request], httpx.Response]


def upload_request(stream: MultipartStream, **ext: Any) -> httpx.Request:
    return httpx.Request(
        "POST", URL, headers=stream.headers, stream=stream, extensions={EXT_UPLOAD: True, **ext}
    )


def test_upload_from_path_retried_on_503_with_full_body(
    send_request: SendRequest, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "cat.jpg"
    path.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 600)
    stream = MultipartStream(to_source(path), content_type="image/jpeg")
    transport, inner, _ = make(httpx.Response(503), httpx.Response(201))
    assert send_request(transport, upload_request(stream)).status_code == 201
    first, second = (body for _, body, _ in inner.requests)
    assert len(first) == stream.content_length
    assert second == first
    assert path.read_bytes() in second


def test_upload_one_shot_stream_not_retried(send_request: SendRequest) -> None:
    stream = MultipartStream(to_source(iter([b"\xff\xd8\xff", b"rest"])))
    transport, inner, _ = make(httpx.Response(503), httpx.Response(201))
    assert send_request(transport, upload_request(stream)).status_code == 503
    assert len(inner.requests) == 1


def test_one_shot_non_upload_body_not_retried(send_request: SendRequest) -> None:
    transport, inner, _ = make(httpx.Response(503), httpx.Response(200))
    request = httpx.Request("PUT", URL, stream=TrackedStream())  # neither ByteStream nor flagged
    assert not is_replayable(request.stream)
    assert send_request(transport, request).status_code == 503
    assert len(inner.requests) == 1


@pytest.mark.parametrize("error", [httpx.RemoteProtocolError, httpx.ReadTimeout])
def test_ambiguous_upload_failure_not_retried(
    send_request: SendRequest, error: type[Exception]
) -> None:
    stream = MultipartStream(to_source(b"\xff\xd8\xffdata"))
    transport, inner, _ = make(error("lost"), httpx.Response(201))
    with pytest.raises(error) as info:
        send_request(transport, upload_request(stream))
    assert is_ambiguous_upload_failure(info.value)
    assert len(inner.requests) == 1


def test_ambiguous_upload_retried_when_opted_in(send_request: SendRequest) -> None:
    stream = MultipartStream(to_source(b"\xff\xd8\xffdata"))
    transport, inner, _ = make(httpx.ReadTimeout("lost"), httpx.Response(201))
    request = upload_request(stream, **{EXT_RETRY_AMBIGUOUS: True})
    assert send_request(transport, request).status_code == 201
    assert len(inner.requests) == 2


def test_upload_500_not_retried_but_connect_error_is(send_request: SendRequest) -> None:
    stream = MultipartStream(to_source(b"img"))
    transport, inner, _ = make(httpx.Response(500), httpx.Response(201))
    assert send_request(transport, upload_request(stream)).status_code == 500
    transport, inner, _ = make(httpx.ConnectError("refused"), httpx.Response(201))
    assert send_request(transport, upload_request(stream)).status_code == 201
    assert len(inner.requests) == 2


# --- hooks, closing, logging ------------------------------------------------------------------


class TrackedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield b"busy"

    async def __aiter__(self) -> Any:
        yield b"busy"

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def test_failed_response_closed_before_retry(send: Send) -> None:
    tracked = TrackedStream()
    transport, _, _ = make(httpx.Response(503, stream=tracked), httpx.Response(200))
    assert send(transport, "GET", URL).status_code == 200
    assert tracked.closed


def test_sign_runs_before_every_attempt(send: Send) -> None:
    seen: list[str] = []

    def resign(request: httpx.Request) -> None:
        seen.append(request.headers["x-apertur-retry-count"])
        request.headers["x-aptr-timestamp"] = str(len(seen))

    transport, inner, _ = make(httpx.Response(503), httpx.Response(200), sign=resign)
    send(transport, "GET", URL)
    assert seen == ["0", "1"]
    assert [headers["x-aptr-timestamp"] for headers, _, _ in inner.requests] == ["1", "2"]


def test_retry_logged_at_debug_without_secrets(
    send: Send, caplog: pytest.LogCaptureFixture
) -> None:
    transport, _, _ = make(httpx.Response(503), httpx.Response(200))
    with caplog.at_level(logging.DEBUG, logger="apertur"):
        send(transport, "GET", URL, headers={"Authorization": "Bearer aptr_live_SECRET"})
    records = [r for r in caplog.records if r.name == "apertur"]
    assert all("SECRET" not in r.getMessage() for r in records)
    (record,) = [r for r in records if r.getMessage().startswith("retrying")]
    assert record.levelno == logging.DEBUG
    message = record.getMessage()
    assert "GET https://api.example/api/v1/thing" in message
    assert "HTTP 503" in message
    assert "SECRET" not in message


def test_attempts_and_outcome_logged(send: Send, caplog: pytest.LogCaptureFixture) -> None:
    transport, _, _ = make(httpx.Response(503), httpx.Response(200))
    with caplog.at_level(logging.DEBUG, logger="apertur"):
        send(transport, "GET", URL)
    messages = [r.getMessage().rsplit(" elapsed=", 1)[0] for r in caplog.records]
    assert messages[0] == "sending GET /api/v1/thing attempt=1"
    assert "sending GET /api/v1/thing attempt=2" in messages
    assert messages[-1] == "GET /api/v1/thing -> 200 attempts=2"
    assert messages.count("GET /api/v1/thing -> 200 attempts=2") == 1


def test_the_outcome_is_logged_once_the_body_is_read(
    send_streamed: Callable[..., tuple[list[str], list[str]]],
) -> None:
    """A streamed body: the call is logged when it ends (or fails), not at its headers."""
    assert send_streamed([b"a", b"b"]) == ([], ["GET /api/v1/thing -> 200 attempts=1"])
    assert send_streamed([b"a" * 600, b"b" * 600], max_response_bytes=1000) == (
        [],
        ["GET /api/v1/thing failed: ResponseTooLargeError attempts=1"],
    )


@pytest.fixture(params=["sync", "async"])
def send_streamed(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Callable[..., tuple[list[str], list[str]]]:
    """Stream a response of ``chunks``: (records when its headers came, records once read)."""

    def messages() -> list[str]:
        return [r.getMessage().rsplit(" elapsed=", 1)[0] for r in caplog.records]

    def run(chunks: list[bytes], **options: Any) -> tuple[list[str], list[str]]:
        answer = httpx.Response(200, stream=_Chunks(chunks))
        transport = RetryTransport(_Once(answer), **options)
        seen: list[list[str]] = []

        def sync() -> None:
            with httpx.Client(transport=transport) as client, client.stream("GET", URL) as r:
                seen.append(messages())
                with contextlib.suppress(AperturError):
                    r.read()

        async def async_() -> None:
            async with httpx.AsyncClient(transport=transport) as client:
                async with client.stream("GET", URL) as r:
                    seen.append(messages())
                    with contextlib.suppress(AperturError):
                        await r.aread()

        caplog.clear()
        with caplog.at_level(logging.INFO, logger="apertur"):
            sync() if request.param == "sync" else anyio.run(async_)
        return seen[0], messages()

    return run


class _Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


class _Once(httpx.BaseTransport, httpx.AsyncBaseTransport):
    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.response


def test_failure_outcome_logged_with_the_sdk_error_name(
    send: Send, caplog: pytest.LogCaptureFixture
) -> None:
    transport, _, _ = make(httpx.ConnectError("refused"), max_retries=0)
    with caplog.at_level(logging.INFO, logger="apertur"), pytest.raises(httpx.ConnectError):
        send(transport, "GET", URL)
    assert any("failed: APIConnectionError" in r.getMessage() for r in caplog.records)


def test_one_dual_transport_serves_both_paths(send: Send) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.headers["x-apertur-retry-count"])
        return httpx.Response(200 if len(calls) > 1 else 503)

    clock = Clock()
    transport = RetryTransport(
        httpx.MockTransport(handler), sleep=clock.sleep, async_sleep=clock.async_sleep, clock=clock
    )
    assert send(transport, "GET", URL).status_code == 200
    assert calls == ["0", "1"]


def test_default_inner_transports_are_lazy_and_closable() -> None:
    transport = RetryTransport()
    transport.close()
    anyio.run(transport.aclose)
    assert transport._transport is None
    assert transport._async_transport is None


def test_only_an_async_pool_of_httpx_s_own_is_closed_for_a_sync_client() -> None:
    class Pool(httpx.AsyncHTTPTransport):
        closed = 0

        async def aclose(self) -> None:
            self.closed += 1

    pool = Pool()
    transport = RetryTransport(async_transport=pool)
    anyio.run(transport.aclose_own_async_pool)
    assert pool.closed == 1
    assert transport._async_transport is None  # a later async call opens a new pool
    anyio.run(transport.aclose_own_async_pool)
    assert transport._async_transport is None

    closed: list[str] = []

    class Theirs(httpx.AsyncBaseTransport):
        async def aclose(self) -> None:
            closed.append("theirs")

    theirs = Theirs()
    transport = RetryTransport(async_transport=theirs)
    anyio.run(transport.aclose_own_async_pool)
    assert closed == []
    assert transport._async_transport is theirs


def test_aclose_also_closes_a_sync_inner_transport() -> None:
    closed: list[str] = []

    class SyncInner(httpx.BaseTransport):
        def close(self) -> None:
            closed.append("sync")

    class AsyncInner(httpx.AsyncBaseTransport):
        async def aclose(self) -> None:
            closed.append("async")

    anyio.run(RetryTransport(SyncInner(), AsyncInner()).aclose)
    assert sorted(closed) == ["async", "sync"]


# --- one real loopback server -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def upload_endpoint(request: Request) -> JSONResponse:
    async with request.form() as form:
        upload = form["file"]
        assert not isinstance(upload, str)
        data = await upload.read()
        return JSONResponse({"size": len(data), "source": form.get("source")}, status_code=201)


def test_connection_refused_then_retried_against_real_server(tmp_path: pathlib.Path) -> None:
    port = free_port()
    app = Starlette(routes=[Route("/images", upload_endpoint, methods=["POST"])])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    started = threading.Event()

    def start_server_then_return(delay: float) -> None:
        # The first attempt was refused; bring the server up during the "backoff".
        thread.start()
        for _ in range(1000):  # at most ~10 s
            if server.started:
                started.set()
                return
            threading.Event().wait(0.01)
        raise AssertionError("uvicorn did not start")

    path = tmp_path / "big.jpg"
    path.write_bytes(b"\xff\xd8\xff" + bytes(3 * 65536 + 5))
    stream = MultipartStream(to_source(path), fields={"source": "gallery"})
    transport = RetryTransport(sleep=start_server_then_return)
    try:
        with httpx.Client(transport=transport) as client:
            request = client.build_request(
                "POST",
                f"http://127.0.0.1:{port}/images",
                headers=stream.headers,
                extensions={EXT_UPLOAD: True},
            )
            request.stream = stream  # build_request adds Host; the stream keeps `replayable`
            response = client.send(request)
        assert started.is_set()
        assert response.status_code == 201
        assert response.json() == {"size": path.stat().st_size, "source": "gallery"}
    finally:
        server.should_exit = True
        if thread.is_alive():
            thread.join(timeout=10)


def test_the_end_of_a_call_is_logged_with_its_attempts_and_elapsed_time(
    send: Send, caplog: pytest.LogCaptureFixture
) -> None:
    transport, _, clock = make(httpx.Response(503), httpx.Response(200))
    with caplog.at_level(logging.INFO, "apertur"):
        send(transport, "GET", "https://api.test/x")
    assert clock.sleeps == [0.5]  # the only time that passed: the wait before the retry
    assert caplog.messages[-1] == "GET /x -> 200 attempts=2 elapsed=0.500s"


def test_an_upload_that_may_have_been_stored_is_logged_as_such(
    send: Send, caplog: pytest.LogCaptureFixture
) -> None:
    transport, _, _ = make(httpx.ReadError("reset"))
    upload = {"extensions": {EXT_UPLOAD: True}}
    with caplog.at_level(logging.INFO, "apertur"), pytest.raises(httpx.ReadError):
        send(transport, "POST", "https://api.test/upload", content=b"image", **upload)
    assert caplog.messages[-1].endswith(
        "failed: UploadMayHaveBeenStoredError attempts=1 elapsed=0.000s"
    )
    assert caplog.messages[-1].startswith("POST /upload ")


def test_a_phase_shorter_than_the_time_left_keeps_its_own_timeout(send: Send) -> None:
    transport, inner, clock = make(httpx.Response(200))
    timeout = httpx.Timeout(5.0, connect=0.3)
    send(transport, "GET", URL, extensions={EXT_DEADLINE: clock.now + 0.7}, timeout=timeout)
    assert inner.requests[0][2] == pytest.approx(
        {"connect": 0.3, "read": 0.7, "write": 0.7, "pool": 0.7}
    )


def test_aclose_closes_a_transport_given_for_both_protocols_once() -> None:
    class Both(httpx.BaseTransport, httpx.AsyncBaseTransport):
        closed: list[str] = []

        def close(self) -> None:
            self.closed.append("close")

        async def aclose(self) -> None:
            self.closed.append("aclose")

    both = Both()
    anyio.run(RetryTransport(both).aclose)
    assert both.closed == ["aclose"]


def test_a_400_the_server_says_to_retry_is_retried(send: Send) -> None:
    told = httpx.Response(400, headers={"x-should-retry": "true"})
    transport, inner, clock = make(told, httpx.Response(200))
    assert send(transport, "GET", URL).status_code == 200
    assert clock.sleeps == [0.5]


def test_an_http_date_retry_after_is_measured_from_the_wall_clock(send: Send) -> None:
    in_3_s = email.utils.formatdate(1_800_000_000 + 3, usegmt=True)  # make()'s wall clock + 3 s
    transport, _, clock = make(
        httpx.Response(503, headers={"retry-after": in_3_s}), httpx.Response(200)
    )
    assert send(transport, "GET", URL).status_code == 200
    assert clock.sleeps == [3.0]


def test_retries_are_logged_at_debug_with_their_reason(
    send: Send, caplog: pytest.LogCaptureFixture
) -> None:
    transport, _, _ = make(httpx.ConnectError("refused"), httpx.Response(404))
    with caplog.at_level(logging.DEBUG, "apertur"):
        send(transport, "GET", URL)
    retries = [m for m in caplog.messages if m.startswith("retrying")]
    assert retries == [
        "retrying GET https://api.example/api/v1/thing after ConnectError in 0.500s (retry 1 of 2)"
    ]


class _SlowBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Each chunk takes a second of the fake clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(3):
            self.clock.now += 1
            yield b"chunk"

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def test_a_body_still_arriving_at_the_deadline_times_out(send: Send) -> None:
    clock = Clock()
    transport, _, _ = make(httpx.Response(200, stream=_SlowBody(clock)), clock=clock)
    with pytest.raises(httpx.ReadTimeout) as info:
        send(transport, "GET", URL, extensions={EXT_DEADLINE: clock.now + 1.5})
    assert info.value.request.url == URL


def test_a_deadline_reached_exactly_sends_nothing(send: Send) -> None:
    transport, inner, clock = make(httpx.Response(200))
    with pytest.raises(httpx.ConnectTimeout) as info:
        send(transport, "GET", URL, extensions={EXT_DEADLINE: clock.now})
    assert str(info.value) == "deadline exceeded before the request was sent"
    assert info.value.request.url == URL
    assert inner.requests == []


def test_without_any_timeout_there_is_no_deadline(send: Send) -> None:
    transport, inner, _ = make(httpx.Response(200))
    assert send(transport, "GET", URL, timeout=None).status_code == 200
    assert inner.requests[0][2] == dict.fromkeys(["connect", "read", "write", "pool"], None)


def test_a_request_without_timeouts_gets_the_time_left_in_every_phase() -> None:
    transport, inner, clock = make(httpx.Response(200))
    request = httpx.Request("GET", URL, extensions={EXT_DEADLINE: clock.now + 3})
    assert transport.handle_request(request).status_code == 200
    assert inner.requests[0][2] == dict.fromkeys(["connect", "read", "write", "pool"], 3.0)


class _Recording(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves both protocols and records which one each request came through."""

    def __init__(self, name: str, seen: list[str]) -> None:
        self.name, self.seen = name, seen

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{self.name} sync")
        return httpx.Response(200)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{self.name} async")
        return httpx.Response(200)


def test_each_protocol_uses_its_own_transport_and_one_given_once_serves_both() -> None:
    seen: list[str] = []

    def both(transport: RetryTransport) -> None:
        request = httpx.Request("GET", URL)
        transport.handle_request(request)
        anyio.run(transport.handle_async_request, httpx.Request("GET", URL))

    both(RetryTransport(_Recording("a", seen), _Recording("b", seen)))
    both(RetryTransport(_Recording("c", seen)))
    both(RetryTransport(async_transport=_Recording("d", seen)))
    assert seen == ["a sync", "b async", "c sync", "c async", "d sync", "d async"]
