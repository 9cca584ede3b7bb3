"""Tests for apertur_ext._core.body through the transport: deadline, size limit and inflating of a
response body, sync and async, on a fake clock (the hostile servers on real sockets are in
tests/reliability/test_hostile_server.py)."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
import httpx
import pytest

from apertur_ext import InvalidResponseError, ResponseTooLargeError
from apertur_ext._core.body import MAX_ERROR_BODY, PIECE, bound_body
from apertur_ext._core.retry import RetryPolicy
from apertur_ext._core.transport import EXT_DEADLINE, EXT_MAX_BYTES, RetryTransport

URL = "https://api.example/api/v1/thing"


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body arriving as ``chunks``; each one moves ``clock`` on by ``gap`` seconds first."""

    def __init__(self, chunks: list[bytes], clock: list[float], gap: float) -> None:
        self.chunks, self.clock, self.gap = chunks, clock, gap
        self.read = 0  # chunks handed out
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.chunks:
            self.clock[0] += self.gap
            self.read += 1
            yield piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self:
            yield piece

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class Server(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers every request with ``status``, ``headers`` and a fresh :class:`Chunks` body."""

    def __init__(self, status: int, chunks: list[bytes], headers: dict[str, str], gap: float):
        self.status, self.chunks, self.headers, self.gap = status, chunks, headers, gap
        self.clock = [100.0]
        self.body: Chunks | None = None
        self.seen: httpx.Request | None = None

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.seen = request
        self.body = Chunks(self.chunks, self.clock, self.gap)
        return httpx.Response(self.status, headers=self.headers, stream=self.body)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)


Get = Callable[..., tuple[httpx.Response, Server]]


@pytest.fixture(params=["sync", "async"])
def get(request: pytest.FixtureRequest) -> Get:
    """get(status, chunks, headers=..., gap=..., limit=..., **request kwargs) → (response, server)."""

    def get_once(
        status: int = 200,
        chunks: list[bytes] | None = None,
        headers: dict[str, str] | None = None,
        gap: float = 0.0,
        limit: int = 1000,
        **kw: Any,
    ) -> tuple[httpx.Response, Server]:
        server = Server(status, chunks or [], headers or {}, gap)
        transport = RetryTransport(
            server,
            server,
            policy=RetryPolicy(max_retries=0),
            max_response_bytes=limit,
            clock=lambda: server.clock[0],
        )
        if request.param == "sync":
            with httpx.Client(transport=transport) as client:
                return client.get(URL, **kw), server

        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=transport) as client:
                return await client.get(URL, **kw)

        return anyio.run(go), server

    return get_once


# --- deadline ----------------------------------------------------------------------------------


def test_a_dripped_body_ends_at_the_deadline(get: Get) -> None:
    server_chunks = [b" "] * 100
    with pytest.raises(httpx.ReadTimeout, match="deadline") as info:
        get(chunks=server_chunks, gap=1.0, timeout=3.0)
    assert info.value.request.extensions[EXT_DEADLINE] == 103.0  # the longest phase, from send


def test_the_deadline_is_the_longest_timeout_phase(get: Get) -> None:
    timeout = httpx.Timeout(2.0, read=5.0)
    response, server = get(chunks=[b"a"] * 5, gap=1.0, timeout=timeout)
    assert response.content == b"aaaaa"  # chunk 5 arrives at exactly the deadline
    assert server.seen is not None
    assert server.seen.extensions[EXT_DEADLINE] == 105.0
    with pytest.raises(httpx.ReadTimeout):
        get(chunks=[b"a"] * 6, gap=1.0, timeout=timeout)


def test_no_deadline_when_a_phase_is_unbounded_or_the_caller_says_none(get: Get) -> None:
    response, server = get(chunks=[b"a"] * 50, gap=10.0, timeout=httpx.Timeout(3.0, read=None))
    assert len(response.content) == 50
    response, server = get(
        chunks=[b"a"] * 50, gap=10.0, timeout=3.0, extensions={EXT_DEADLINE: None}
    )
    assert len(response.content) == 50
    assert server.seen is not None
    assert server.seen.extensions["timeout"]["read"] == 3.0


# --- size --------------------------------------------------------------------------------------


def test_a_body_past_the_limit_raises_and_stops_reading(get: Get) -> None:
    response, _ = get(chunks=[b"a" * 500, b"b" * 500])
    assert len(response.content) == 1000  # exactly the limit is fine
    with pytest.raises(ResponseTooLargeError, match="1000 bytes") as info:
        get(chunks=[b"a" * 500, b"b" * 501, b"c" * 500])
    assert info.value.status_code == 200


def test_the_limit_is_per_request_and_none_for_downloads(get: Get) -> None:
    response, _ = get(chunks=[b"a" * 800] * 5, extensions={EXT_MAX_BYTES: None})
    assert len(response.content) == 4000
    with pytest.raises(httpx.ReadTimeout):  # no limit, but still the deadline
        get(chunks=[b"a"] * 5, gap=2.0, timeout=3.0, extensions={EXT_MAX_BYTES: None})
    with pytest.raises(ResponseTooLargeError):
        get(chunks=[b"a" * 800] * 5, extensions={EXT_MAX_BYTES: 3000})


def test_an_error_body_is_cut_at_a_mib_not_raised(get: Get) -> None:
    chunks = [b"x" * 65536] * 40  # 2.5 MiB
    response, server = get(500, chunks, limit=64 << 20)
    assert response.status_code == 500
    assert len(response.content) == MAX_ERROR_BODY
    assert server.body is not None
    assert server.body.read == 16
    assert server.body.closed
    response, _ = get(404, [b"y" * 700, b"z" * 700])  # a smaller client limit wins
    assert response.content == b"y" * 700 + b"z" * 300


def test_a_download_with_nothing_to_bound_is_left_alone() -> None:
    request = httpx.Request("GET", URL)
    stream = Chunks([b"img"], [0.0], 0.0)
    response = httpx.Response(200, stream=stream, request=request)
    assert (
        bound_body(request, response, deadline=None, limit=None, clock=time.monotonic) is response
    )
    assert response.stream is stream
    bound_body(request, response, deadline=None, limit=10, clock=time.monotonic)
    assert response.stream is not stream


# --- decompression -----------------------------------------------------------------------------


def _split(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)] or [b""]


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", " GZIP "])
@pytest.mark.parametrize("chunk_size", [1, 7, 4096, 1 << 20])
def test_gzip_and_deflate_are_decoded_here(get: Get, encoding: str, chunk_size: int) -> None:
    text = b'{"id": "s1", "note": "' + b"abc" * 3000 + b'"}'
    packed = zlib.compress(text) if encoding == "deflate" else gzip.compress(text)
    response, _ = get(
        chunks=_split(packed, chunk_size),
        headers={"content-encoding": encoding, "content-length": str(len(packed))},
        limit=len(text),
    )
    assert response.content == text
    assert "content-encoding" not in response.headers
    assert "content-length" not in response.headers


def test_a_gzip_bomb_stops_at_the_limit(get: Get) -> None:
    bomb = gzip.compress(bytes(16 << 20))  # 16 MiB of zeros in ~16 KB, one network chunk
    with pytest.raises(ResponseTooLargeError):
        get(chunks=[bomb], headers={"content-encoding": "gzip"}, limit=1 << 20)


def test_inflating_yields_bounded_pieces() -> None:
    server = Server(200, [gzip.compress(bytes(8 << 20))], {"content-encoding": "gzip"}, 0.0)
    transport = RetryTransport(server, server, max_response_bytes=1 << 30)
    with httpx.Client(transport=transport) as client, client.stream("GET", URL) as response:
        sizes = [len(piece) for piece in response.iter_bytes()]
    assert sum(sizes) == 8 << 20
    assert max(sizes) <= PIECE


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "compress"])
def test_other_encodings_are_refused(get: Get, encoding: str) -> None:
    with pytest.raises(InvalidResponseError, match="encoded as") as info:
        get(chunks=[b"\x00" * 10], headers={"content-encoding": encoding})
    assert not isinstance(info.value, ResponseTooLargeError)


def test_a_corrupt_gzip_body_is_a_decoding_error(get: Get) -> None:
    with pytest.raises(httpx.DecodingError):
        get(chunks=[b"\x1f\x8b\x08\x00garbage" * 4], headers={"content-encoding": "gzip"})


def test_the_client_asks_only_for_what_it_decodes() -> None:
    from apertur_ext import Apertur

    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, json={"message": "no"})

    client = Apertur(
        api_key="aptr_test_k", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    with client, pytest.raises(Exception):
        client.sessions.get("s1")
    assert seen[0].headers["accept-encoding"] == "gzip, deflate"


# --- a streamed request body -------------------------------------------------------------------


class Reader(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Reads the request body, one second of the fake clock per chunk, then answers 201."""

    def __init__(self) -> None:
        self.clock = [100.0]
        self.read = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for _ in request.stream:  # type: ignore[union-attr]
            self.clock[0] += 1.0
            self.read += 1
        return httpx.Response(201, json={})

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        async for _ in request.stream:  # type: ignore[union-attr]
            self.clock[0] += 1.0
            self.read += 1
        return httpx.Response(201, json={})


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("deadline", "sent"), [("timeout", 4), ("none", 10)])
def test_a_streamed_request_body_is_sent_within_the_deadline(
    mode: str, deadline: str, sent: int
) -> None:
    reader = Reader()
    transport = RetryTransport(reader, reader, clock=lambda: reader.clock[0])
    extensions = {EXT_DEADLINE: None} if deadline == "none" else {}
    chunks = [b"x" * 10] * 10

    def send() -> None:
        if mode == "sync":
            with httpx.Client(transport=transport) as client:
                client.post(URL, content=iter(chunks), timeout=3.0, extensions=extensions)
            return

        async def body() -> AsyncIterator[bytes]:
            for chunk in chunks:
                yield chunk

        async def go() -> None:
            async with httpx.AsyncClient(transport=transport) as client:
                await client.post(URL, content=body(), timeout=3.0, extensions=extensions)

        anyio.run(go)

    if deadline == "none":
        send()
    else:
        with pytest.raises(httpx.WriteTimeout, match="request body"):
            send()
    assert reader.read == sent
