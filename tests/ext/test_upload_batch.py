"""``client.upload.images``: one outcome per source in order, typed errors (an ambiguous failure
kept apart), what stops a batch, the concurrency bound, progress, streaming (sync and async,
httpx.MockTransport, no network)."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from apertur_ext import (
    Apertur,
    AsyncApertur,
    AuthenticationError,
    BatchProgress,
    InvalidInputError,
    UploadMayHaveBeenStoredError,
    ValidationError,
)
from apertur_ext._bodies.sources import CHUNK_SIZE

KEY = "aptr_live_SECRETkey"
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000")
Respond = Callable[[str, bytes], httpx.Response]


def _filename(body: bytes) -> str:
    match = re.search(rb'filename="([^"]*)"', body)
    assert match is not None
    return match.group(1).decode()


def _stored(name: str, body: bytes) -> httpx.Response:
    return httpx.Response(201, json={"id": "id-" + name, "filename": name, "size_bytes": 1})


class Server:
    """Answers uploads by the part's filename; counts the uploads in flight."""

    def __init__(self, respond: Respond = _stored, gate: threading.Barrier | None = None) -> None:
        self.respond, self.gate = respond, gate
        self.names: list[str] = []
        self.lock = threading.Lock()
        self.in_flight = self.peak = 0

    def _enter(self, body: bytes) -> str:
        name = _filename(body)
        with self.lock:
            self.names.append(name)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        return name

    def _leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def handler(self, request: httpx.Request) -> httpx.Response:
        name = self._enter(request.read())
        try:
            if self.gate is not None:
                self.gate.wait(10)  # the first uploads meet: they really are in flight together
            return self.respond(name, request.content)
        finally:
            self._leave()

    async def ahandler(self, request: httpx.Request) -> httpx.Response:
        name = self._enter(await request.aread())
        try:
            for _ in range(3):
                await anyio.lowlevel.checkpoint()
            return self.respond(name, request.content)
        finally:
            self._leave()

    def client(self) -> Apertur:
        transport = httpx.MockTransport(self.handler)
        return Apertur(
            KEY,
            base_url="https://api.example",
            max_retries=0,
            http_client=httpx.Client(transport=transport),
        )

    def aclient(self) -> AsyncApertur:
        transport = httpx.MockTransport(self.ahandler)
        return AsyncApertur(
            KEY,
            base_url="https://api.example",
            max_retries=0,
            http_client=httpx.AsyncClient(transport=transport),
        )


def _files(folder: Path, names: list[str], size: int = 1000) -> list[Path]:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_bytes(JPEG + bytes(size))
    return [folder / name for name in names]


def test_one_outcome_per_source_in_order_with_typed_errors(tmp_path: Path) -> None:
    def respond(name: str, body: bytes) -> httpx.Response:
        if name == "bad.jpg":
            return httpx.Response(400, json={"error": "not an image"})
        if name == "lost.jpg":
            raise httpx.ReadError("connection reset after the body went out")
        return _stored(name, body)

    _files(tmp_path / "dir", ["2.jpg", "1.jpg", ".hidden.jpg"])
    good, bad, lost = _files(tmp_path, ["good.jpg", "bad.jpg", "lost.jpg"])
    sources: list[Any] = [
        good, JPEG + b"x", io.BytesIO(JPEG + b"y"), bad, tmp_path / "missing.jpg", lost,
        tmp_path / "dir", str(tmp_path / "dir" / "*.jpg"),
    ]  # fmt: skip
    server = Server(respond)
    with server.client() as client:
        outcomes = client.upload.images("s1", sources, concurrency=3)
    assert [o.source for o in outcomes] == [
        good, sources[1], sources[2], bad, tmp_path / "missing.jpg", lost,
        str(tmp_path / "dir" / "1.jpg"), str(tmp_path / "dir" / "2.jpg"),  # by name, no hidden
        str(tmp_path / "dir" / "1.jpg"), str(tmp_path / "dir" / "2.jpg"),
    ]  # fmt: skip
    assert [o.ok for o in outcomes] == [True, True, True, False, False, False] + [True] * 4
    assert outcomes[0].result is not None
    assert outcomes[0].result.id == "id-good.jpg"
    assert isinstance(outcomes[3].error, ValidationError)
    assert isinstance(outcomes[4].error, InvalidInputError)  # "file not found", nothing sent
    assert isinstance(outcomes[5].error, UploadMayHaveBeenStoredError)  # kept apart: maybe stored
    assert "missing.jpg" not in server.names
    assert len(server.names) == 9


def test_an_error_about_the_key_or_session_stops_the_batch(tmp_path: Path) -> None:
    server = Server(lambda name, body: httpx.Response(401, json={"error": "bad key"}))
    with server.client() as client:
        outcomes = client.upload.images(
            "s1", _files(tmp_path, ["a.jpg", "b.jpg", "c.jpg"]), concurrency=1
        )
    assert isinstance(outcomes[0].error, AuthenticationError)
    assert [(o.result, o.error) for o in outcomes[1:]] == [(None, None), (None, None)]  # not tried
    assert server.names == ["a.jpg"]


def test_a_failure_stops_the_batch_only_when_asked(tmp_path: Path) -> None:
    def respond(name: str, body: bytes) -> httpx.Response:
        return httpx.Response(400, json={}) if name == "b.jpg" else _stored(name, body)

    paths = _files(tmp_path, ["a.jpg", "b.jpg", "c.jpg", "d.jpg"])
    server = Server(respond)
    with server.client() as client:
        assert [o.ok for o in client.upload.images("s1", paths, concurrency=1)] == [
            True,
            False,
            True,
            True,
        ]
        stopped = client.upload.images("s1", paths, concurrency=1, stop_on_error=True)
    assert [o.ok for o in stopped] == [True, False, False, False]
    assert stopped[2].error is None
    assert server.names[4:] == ["a.jpg", "b.jpg"]


def test_at_most_concurrency_uploads_in_flight(tmp_path: Path) -> None:
    paths = _files(tmp_path, [f"{n:02d}.jpg" for n in range(12)])
    server = Server(gate=threading.Barrier(3))  # returns only once 3 are in flight together
    with server.client() as client:
        outcomes = client.upload.images("s1", paths, concurrency=3)
    assert all(o.ok for o in outcomes)
    assert server.peak == 3


def test_progress_counts_bytes_and_reports_each_image(tmp_path: Path) -> None:
    paths = _files(tmp_path, ["a.jpg", "b.jpg", "c.jpg"], size=3 * CHUNK_SIZE)
    seen: list[BatchProgress] = []
    with Server().client() as client:
        client.upload.images("s1", paths, concurrency=2, on_progress=seen.append)
    finished = [p.finished for p in seen if p.finished is not None]
    assert sorted(str(f.source) for f in finished) == sorted(map(str, paths))
    sizes = [p.bytes_sent for p in seen]
    assert sizes == sorted(sizes)  # one call at a time, never backwards (no retry here)
    last = seen[-1]
    assert (last.done, last.total, last.bytes_sent) == (3, 3, 3 * (len(JPEG) + 3 * CHUNK_SIZE))
    assert len(seen) > 6  # bytes reported chunk by chunk, not only per image


class _Reads(io.BytesIO):
    """A file object that remembers the largest read asked of it."""

    largest = 0

    def read(self, size: int | None = -1) -> bytes:
        _Reads.largest = max(_Reads.largest, size if size is not None and size >= 0 else 1 << 62)
        return super().read(size)


def test_sources_are_streamed_not_read_whole() -> None:
    files = [_Reads(JPEG + bytes(5 * CHUNK_SIZE)) for _ in range(3)]
    with Server().client() as client:
        assert all(o.ok for o in client.upload.images("s1", files, encrypt=False))
    assert 0 < _Reads.largest <= CHUNK_SIZE + 1


def test_encrypted_batch_sends_envelopes(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    bodies: list[bytes] = []

    def respond(name: str, body: bytes) -> httpx.Response:
        bodies.append(body)
        return _stored(name, body)

    with Server(respond).client() as client:
        outcomes = client.upload.images(
            "s1", _files(tmp_path, ["a.jpg", "b.jpg"]), encrypt=True, public_key=pem
        )
    assert all(o.ok for o in outcomes)
    assert all(b'"algorithm":"RSA-OAEP+AES-256-GCM"' in body for body in bodies)
    assert all(b'filename="a.jpg.enc"' in b or b'filename="b.jpg.enc"' in b for b in bodies)


def test_an_interrupt_starts_nothing_new(tmp_path: Path) -> None:
    paths = _files(tmp_path, [f"{n}.jpg" for n in range(5)])
    server = Server()

    def on_progress(progress: BatchProgress) -> None:
        if progress.finished is not None:
            raise KeyboardInterrupt

    with server.client() as client, pytest.raises(KeyboardInterrupt):
        client.upload.images("s1", paths, concurrency=1, on_progress=on_progress)
    assert server.names == ["0.jpg"]


@pytest.mark.parametrize(
    ("sources", "options"),
    [
        (["a.jpg"], {"concurrency": 0}),
        (["a.jpg"], {"concurrency": 33}),
        (["a.jpg"], {"concurrency": True}),
        ("/nonexistent-dir/*.jpg", {}),
        (42, {}),
    ],
)
def test_bad_arguments_fail_before_sending(sources: Any, options: dict[str, Any]) -> None:
    server = Server()
    with server.client() as client, pytest.raises(InvalidInputError):
        client.upload.images("s1", sources, **options)
    assert server.names == []


def test_a_single_source_and_an_empty_batch(tmp_path: Path) -> None:
    (path,) = _files(tmp_path, ["only.jpg"])
    with Server().client() as client:
        assert [o.ok for o in client.upload.images("s1", path)] == [True]
        assert [o.ok for o in client.upload.images("s1", io.BytesIO(JPEG))] == [True]
        assert client.upload.images("s1", []) == []


@pytest.mark.anyio
async def test_async_batch_in_order_bounded_with_progress(tmp_path: Path) -> None:
    def respond(name: str, body: bytes) -> httpx.Response:
        return httpx.Response(400, json={}) if name == "03.jpg" else _stored(name, body)

    paths = _files(tmp_path, [f"{n:02d}.jpg" for n in range(10)])
    server = Server(respond)
    seen: list[BatchProgress] = []
    async with server.aclient() as client:
        outcomes = await client.upload.images("s1", paths, concurrency=4, on_progress=seen.append)
    assert [o.source for o in outcomes] == paths
    assert [o.ok for o in outcomes] == [n != 3 for n in range(10)]
    assert isinstance(outcomes[3].error, ValidationError)
    assert 1 < server.peak <= 4
    assert seen[-1].done == 10


@pytest.mark.anyio
async def test_async_session_error_stops_the_batch(tmp_path: Path) -> None:
    server = Server(lambda name, body: httpx.Response(401, json={}))
    async with server.aclient() as client:
        outcomes = await client.upload.images(
            "s1", _files(tmp_path, ["a.jpg", "b.jpg"]), concurrency=1
        )
    assert isinstance(outcomes[0].error, AuthenticationError)
    assert outcomes[1].error is None
    assert outcomes[1].result is None
    assert server.names == ["a.jpg"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
