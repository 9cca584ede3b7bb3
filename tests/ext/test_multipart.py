"""Tests for apertur_ext._bodies.multipart: parses back exactly, lengths, replay, streaming memory."""

from __future__ import annotations

import pathlib
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from typing import Any

import attrs
import httpx
import pytest
import python_multipart
from hypothesis import given, settings
from hypothesis import strategies as st

from apertur_ext._bodies.multipart import MultipartStream, format_param, make_boundary
from apertur_ext._bodies.sources import BodySource, to_source
from apertur_ext._core.exceptions import InvalidInputError


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@attrs.define
class Part:
    headers: dict[bytes, bytes] = attrs.field(factory=dict)
    data: bytearray = attrs.field(factory=bytearray)


def parse(body: bytes, content_type: str) -> list[Part]:
    """Parse a multipart body with python-multipart (an independent implementation)."""
    boundary = content_type.split("boundary=", 1)[1]
    parts: list[Part] = []
    field = bytearray()
    value = bytearray()

    def on_header_end() -> None:
        parts[-1].headers[bytes(field).lower()] = bytes(value)
        field.clear()
        value.clear()

    callbacks: Any = {
        "on_part_begin": lambda: parts.append(Part()),
        "on_part_data": lambda d, s, e: parts[-1].data.extend(d[s:e]),
        "on_header_field": lambda d, s, e: field.extend(d[s:e]),
        "on_header_value": lambda d, s, e: value.extend(d[s:e]),
        "on_header_end": on_header_end,
    }
    parser = python_multipart.MultipartParser(boundary, callbacks)
    assert parser.write(body) == len(body)
    parser.finalize()
    return parts


def body_of(stream: MultipartStream) -> bytes:
    return b"".join(stream)


async def abody_of(stream: MultipartStream) -> bytes:
    return b"".join([chunk async for chunk in stream])


def test_fields_first_then_file_and_parses_back() -> None:
    payload = b"\x89PNG" + bytes(range(256)) * 700
    stream = MultipartStream(
        to_source(payload, filename="cat.png"),
        fields={"source": "gallery"},
        content_type="image/png",
    )
    body = body_of(stream)
    assert stream.headers["Content-Length"] == str(len(body))
    assert "Transfer-Encoding" not in stream.headers
    source_part, file_part = parse(body, stream.headers["Content-Type"])
    assert source_part.headers[b"content-disposition"] == b'form-data; name="source"'
    assert bytes(source_part.data) == b"gallery"
    assert file_part.headers[b"content-disposition"] == (
        b'form-data; name="file"; filename="cat.png"'
    )
    assert file_part.headers[b"content-type"] == b"image/png"
    assert bytes(file_part.data) == payload


def test_content_with_boundary_like_sequences_is_not_split() -> None:
    stream = MultipartStream(to_source(b"x"))  # only to learn a boundary format
    evil = (
        b'\r\n--+++\r\nContent-Disposition: form-data; name="source"\r\n\r\nINJECTED\r\n'
        b"--" + stream.boundary[:8].encode() + b"\r\n--\r\n--"
    )
    stream = MultipartStream(to_source(evil), fields=[("source", "a\r\n--b")])
    parts = parse(body_of(stream), stream.headers["Content-Type"])
    assert [bytes(p.data) for p in parts] == [b"a\r\n--b", evil]


@settings(max_examples=60, deadline=None)
@given(
    content=st.binary(min_size=1, max_size=3000),
    fields=st.lists(st.tuples(st.text(min_size=1, max_size=10), st.text(max_size=30)), max_size=3),
)
def test_any_content_round_trips(content: bytes, fields: list[tuple[str, str]]) -> None:
    stream = MultipartStream(to_source(iter([content[:7], content[7:]])), fields=fields)
    body = body_of(stream)
    parts = parse(body, stream.headers["Content-Type"])
    assert [bytes(p.data) for p in parts] == [v.encode() for _, v in fields] + [content]


def test_unknown_size_is_chunked() -> None:
    stream = MultipartStream(to_source(iter([b"abc"])))
    assert stream.content_length is None
    assert stream.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in stream.headers
    assert not stream.replayable


def test_random_boundary_and_header_escaping() -> None:
    assert make_boundary() != make_boundary()
    assert len(make_boundary()) == 32
    assert format_param("filename", 'a"b\r\nc.jpg') == b'filename="a%22b%0D%0Ac.jpg"'
    stream = MultipartStream(to_source(b"x", filename='we"ird\n.jpg'))
    (part,) = parse(body_of(stream), stream.headers["Content-Type"])
    assert part.headers[b"content-disposition"] == (
        b'form-data; name="file"; filename="we%22ird%0A.jpg"'
    )


def test_default_content_type_and_filename() -> None:
    stream = MultipartStream(to_source(b"x"))
    (part,) = parse(body_of(stream), stream.headers["Content-Type"])
    assert part.headers[b"content-type"] == b"application/octet-stream"
    assert b'filename="image.jpg"' in part.headers[b"content-disposition"]


def test_header_injection_via_content_type_refused() -> None:
    with pytest.raises(InvalidInputError, match="content type"):
        MultipartStream(to_source(b"x"), content_type="image/png\r\nX-Evil: 1")


def test_bad_boundary_refused() -> None:
    with pytest.raises(InvalidInputError, match="boundary"):
        MultipartStream(to_source(b"x"), boundary="b" * 71)


def test_replayable_source_gives_identical_bodies(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(b"\xff\xd8\xff" + bytes(100_000))
    stream = MultipartStream(to_source(path))
    assert stream.replayable
    assert body_of(stream) == body_of(stream)


def test_one_shot_source_cannot_be_sent_twice() -> None:
    stream = MultipartStream(to_source(iter([b"abc"])))
    body_of(stream)
    with pytest.raises(InvalidInputError, match="one-shot"):
        body_of(stream)


def test_empty_one_shot_fails_before_any_framing() -> None:
    stream = MultipartStream(to_source(iter([b""])), fields={"source": "x"})
    chunks = iter(stream)
    with pytest.raises(InvalidInputError, match="empty upload"):
        next(chunks)


@pytest.mark.anyio
async def test_async_iteration_matches_sync() -> None:
    payload = bytes(range(256)) * 1000

    async def agen() -> AsyncIterator[bytes]:
        yield payload[:100]
        yield payload[100:]

    fixed = "b0undary"
    sync_body = body_of(MultipartStream(to_source(payload), fields={"k": "v"}, boundary=fixed))
    async_body = await abody_of(
        MultipartStream(to_source(agen()), fields={"k": "v"}, boundary=fixed)
    )
    assert sync_body == async_body


@pytest.mark.anyio
async def test_async_empty_one_shot_fails_before_framing() -> None:
    async def agen() -> AsyncIterator[bytes]:
        if False:  # pragma: no cover
            yield b""

    stream = MultipartStream(to_source(agen()))
    with pytest.raises(InvalidInputError, match="empty upload"):
        await stream.__aiter__().__anext__()


class Sink(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Consumes the request stream like a real transport (no request.read())."""

    def __init__(self) -> None:
        self.bodies: list[tuple[httpx.Headers, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        self.bodies.append((request.headers, b"".join(request.stream)))
        return httpx.Response(201)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        body = b"".join([c async for c in request.stream])
        self.bodies.append((request.headers, body))
        return httpx.Response(201)


def test_usable_as_an_httpx_request_stream() -> None:
    sink = Sink()
    stream = MultipartStream(to_source(b"data"), fields={"source": "camera"})
    with httpx.Client(transport=sink) as client:
        request = client.build_request("POST", "http://t/upload", headers=stream.headers)
        request.stream = stream
        assert client.send(request).status_code == 201
    headers, body = sink.bodies[0]
    assert int(headers["content-length"]) == len(body)
    assert [bytes(p.data) for p in parse(body, headers["content-type"])] == [b"camera", b"data"]


@pytest.mark.anyio
async def test_usable_as_an_async_httpx_request_stream() -> None:
    sink = Sink()
    stream = MultipartStream(to_source(b"data"))
    async with httpx.AsyncClient(transport=sink) as client:
        request = httpx.Request("POST", "http://t/upload", headers=stream.headers, stream=stream)
        assert (await client.send(request)).status_code == 201
    headers, body = sink.bodies[0]
    assert [bytes(p.data) for p in parse(body, headers["content-type"])] == [b"data"]


class Counted(BodySource):
    """A sized, replayable source that produces its bytes on the fly (for exact-length tests)."""

    def __init__(self, size: int) -> None:
        self.size = self._n = size
        self.replayable = True

    def iter_chunks(self) -> Iterator[bytes]:
        yield b"x" * self._n

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        yield b"x" * self._n


@pytest.mark.parametrize("size", [1, 2, 65535, 65536, 65537])
def test_content_length_exact(size: int) -> None:
    stream = MultipartStream(Counted(size), fields={"source": "é"})
    assert stream.content_length == len(body_of(stream))


def test_200_mib_path_streams_in_bounded_memory(tmp_path: pathlib.Path) -> None:
    size = 200 * 1024 * 1024
    path = tmp_path / "big.jpg"
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: fast to create and to read
    stream = MultipartStream(to_source(path), fields={"source": "camera"})
    total = 0
    tracemalloc.start()
    try:
        for chunk in stream:
            total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == stream.content_length
    assert total > size
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes"


@pytest.mark.parametrize("boundary", ["b", "b" * 70])
def test_boundaries_of_1_to_70_characters_are_accepted(boundary: str) -> None:
    stream = MultipartStream(to_source(b"abc"), boundary=boundary)
    assert stream.headers["Content-Type"] == f"multipart/form-data; boundary={boundary}"
    (part,) = parse(body_of(stream), stream.headers["Content-Type"])
    assert part.data == b"abc"


@pytest.mark.parametrize("boundary", ["b" * 71, "bö"])
def test_boundary_refusal_says_what_a_boundary_is(boundary: str) -> None:
    with pytest.raises(
        InvalidInputError, match=r"^a multipart boundary is 1\.\.70 ASCII characters$"
    ):
        MultipartStream(to_source(b"x"), boundary=boundary)


def test_any_ascii_content_type_without_line_breaks_is_sent_as_given() -> None:
    stream = MultipartStream(to_source(b"x"), content_type="image/X-Portable-Pixmap")
    (part,) = parse(body_of(stream), stream.headers["Content-Type"])
    assert part.headers[b"content-type"] == b"image/X-Portable-Pixmap"
