"""The one request path, seen from the wire: bodies, headers, timeouts, signing, redirects,
transport failures, streamed downloads and logging (httpx.MockTransport, no network)."""

from __future__ import annotations

import inspect
import io
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import anyio
import httpx
import pytest

from apertur_ext import (
    Apertur,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncApertur,
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    ResponseTooLargeError,
    ServerError,
    UploadMayHaveBeenStoredError,
    sign_request,
)
from apertur_ext._core.config import LONG_POLL_READ_TIMEOUT
from apertur_ext._core.log import configure_from_env, logger

KEY = "aptr_live_SECRETkey"
SIGNING = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
SESSION = {"id": "s1", "status": "active"}
TIMEOUT_PHASES = ("connect", "read", "write", "pool")
Respond = Callable[[httpx.Request], httpx.Response]


class Wire:
    """A client whose requests land in ``self.seen`` and get ``respond``'s answer."""

    def __init__(self, respond: Respond | None = None, **options: object) -> None:
        self.seen: list[httpx.Request] = []
        self.respond = respond or (lambda request: httpx.Response(200, json=SESSION))

        def handler(request: httpx.Request) -> httpx.Response:
            content = request.read()
            # A snapshot: the transport reuses the request object for retries.
            self.seen.append(
                httpx.Request(
                    request.method,
                    request.url,
                    headers=request.headers.copy(),
                    content=content,
                    extensions=dict(request.extensions),
                )
            )
            return self.respond(request)

        options.setdefault("max_retries", 0)
        self.client = Apertur(
            KEY,
            base_url="https://api.example",
            http_client=httpx.Client(transport=httpx.MockTransport(handler)),
            **options,  # type: ignore[arg-type]
        )

    @property
    def last(self) -> httpx.Request:
        return self.seen[-1]

    def body(self) -> object:
        return json.loads(self.last.content)


@pytest.fixture
def wire() -> Iterator[Wire]:
    return Wire()


def test_json_body_and_headers(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(201, json={"id": "s", "uuid": "s", "upload_url": "u"})
    wire.client.sessions.create(max_images=3, tags=["a"], expires_at="2026-01-01T00:00:00+00:00")
    request = wire.last
    assert request.method == "POST"
    assert request.url.path == "/api/v1/upload-sessions"
    assert request.headers["content-type"] == "application/json"
    assert wire.body() == {
        "tags": ["a"],
        "max_images": 3,
        "expires_at": "2026-01-01T00:00:00+00:00",
    }
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_body_less_requests_send_no_content_type(wire: Wire) -> None:
    wire.client.sessions.get("s1")
    assert "content-type" not in wire.last.headers
    assert wire.last.content == b""


def test_path_parameters_are_encoded(wire: Wire) -> None:
    wire.client.sessions.get("a/b?c")
    assert wire.last.url.raw_path == b"/api/v1/upload/a%2Fb%3Fc/session"


def test_update_password_none_sends_null_and_unset_omits(wire: Wire) -> None:
    wire.client.sessions.update("s1", password=None)
    assert wire.body() == {"password": None}
    wire.client.sessions.update("s1", max_images=4)
    assert wire.body() == {"max_images": 4}


def test_ack_sends_an_empty_json_object(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(200, json={"status": "acknowledged"})
    wire.client.polling.ack("s1", "img1")
    assert wire.last.headers["content-type"] == "application/json"
    assert wire.body() == {}


def test_set_destinations_sends_long_polling_only_when_given(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(200, json={"destinations": []})
    wire.client.keys.set_destinations("k1", ["d1"])
    assert wire.body() == {"destination_ids": ["d1"]}
    wire.client.keys.set_destinations("k1", [], long_polling_enabled=False)
    assert wire.body() == {"destination_ids": [], "long_polling_enabled": False}


def test_query_parameters(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(200, content=b"<svg/>")
    wire.client.sessions.qr("s1", format="svg", border_size=2, border_color="00ff00")
    assert wire.last.url.params == httpx.QueryParams(
        format="svg", borderSize="2", borderColor="00ff00"
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.sessions.create(tags="not-a-list"),
        lambda c: c.sessions.create(expires_at="yesterday"),
        lambda c: c.sessions.create(metadata=["x"]),
        lambda c: c.sessions.qr("s1", format=3),
        lambda c: c.sessions.get(""),
        lambda c: c.sessions.share("s1", channel="email", recipient=""),
        lambda c: c.keys.set_destinations("k1", "d1"),
        lambda c: c.webhooks.create("p", url="https://x", topics=["t"], retry_intervals=[True]),
        lambda c: c.sessions.get("s1", timeout=-1),
        lambda c: c.sessions.get("s1", max_retries=-1),
        lambda c: c.upload.image("s1", b""),
        lambda c: c.upload.image("s1", "/no/such/file.jpg"),
    ],
)
def test_bad_arguments_fail_before_sending(wire: Wire, call: Callable[[Apertur], object]) -> None:
    with pytest.raises(InvalidInputError):
        call(wire.client)
    assert wire.seen == []


def test_sync_client_refuses_async_iterators(wire: Wire) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        yield b"x"

    with pytest.raises(InvalidInputError, match="async iterator"):
        wire.client.upload.image("s1", chunks(), mime_type="image/jpeg")
    assert wire.seen == []


def test_timeouts_per_call_and_for_long_polls(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(
        200, json={"status": "active", "files": [], "lastChanged": "x"}
    )
    # Each phase is cut to what is left of the call's deadline (its longest phase) when sent.
    wire.client.sessions.delivery_status("s1")
    assert wire.last.extensions["timeout"]["read"] == pytest.approx(60, abs=1)
    assert wire.last.extensions["timeout"]["connect"] == 10
    wire.client.sessions.delivery_status("s1", poll_from="2026-01-01T00:00:00.000Z")
    assert wire.last.extensions["timeout"]["read"] == pytest.approx(LONG_POLL_READ_TIMEOUT, abs=1)
    assert wire.last.url.params["pollFrom"] == "2026-01-01T00:00:00.000Z"
    wire.client.sessions.delivery_status("s1", poll_from="c", timeout=7)
    assert wire.last.extensions["timeout"] == pytest.approx(dict.fromkeys(TIMEOUT_PHASES, 7), abs=1)


def test_redirects_are_not_followed(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(302, headers={"location": "https://evil.example/steal"})
    with pytest.raises(APIStatusError) as info:
        wire.client.sessions.get("s1")
    assert info.value.status_code == 302
    assert [r.url.host for r in wire.seen] == ["api.example"]


def _signature_ok(request: httpx.Request) -> bool:
    timestamp = int(request.headers["x-aptr-timestamp"])
    target = request.url.raw_path.decode()
    expected = sign_request(SIGNING, request.method, target, request.content, timestamp)
    return request.headers["x-aptr-signature"] == expected


def test_signing_json_and_body_less_requests() -> None:
    wire = Wire(signing_secret=SIGNING)
    wire.respond = lambda r: httpx.Response(201, json={"id": "s", "uuid": "s", "upload_url": "u"})
    wire.client.sessions.create(max_images=2)
    assert _signature_ok(wire.last)
    wire.respond = lambda r: httpx.Response(
        200, json={"status": "active", "files": [], "lastChanged": "x"}
    )
    wire.client.sessions.delivery_status("s1", poll_from="2026-01-01T00:00:00.000Z")
    assert b"?pollFrom=" in wire.last.url.raw_path
    assert _signature_ok(wire.last)


def test_multipart_uploads_are_not_signed() -> None:
    wire = Wire(signing_secret=SIGNING)
    wire.respond = lambda r: httpx.Response(201, json={"id": "img"})
    wire.client.upload.image("s1", b"\xff\xd8\xff\xe0data")
    assert "x-aptr-signature" not in wire.last.headers
    assert wire.last.headers["content-type"].startswith("multipart/form-data; boundary=")


def test_each_retry_is_signed_again() -> None:
    answers = iter(
        [httpx.Response(503, headers={"retry-after-ms": "1"}), httpx.Response(200, json=SESSION)]
    )
    wire = Wire(lambda r: next(answers), signing_secret=SIGNING, max_retries=1)
    wire.client.sessions.get("s1")
    assert len(wire.seen) == 2
    assert all(_signature_ok(r) for r in wire.seen)
    assert [r.headers["x-apertur-retry-count"] for r in wire.seen] == ["0", "1"]


def _raiser(exc: type[httpx.TransportError]) -> Respond:
    def respond(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)

    return respond


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ConnectError, APIConnectionError),
        (httpx.ReadError, APIConnectionError),
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.ConnectTimeout, APITimeoutError),
        (httpx.RemoteProtocolError, APIConnectionError),
    ],
)
def test_transport_errors(exc: type[httpx.TransportError], expected: type[Exception]) -> None:
    wire = Wire(_raiser(exc))
    with pytest.raises(expected) as info:
        wire.client.sessions.get("s1")
    assert type(info.value) is expected
    assert KEY not in str(info.value)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ReadError, UploadMayHaveBeenStoredError),
        (httpx.ReadTimeout, UploadMayHaveBeenStoredError),
        (httpx.ConnectError, APIConnectionError),
    ],
)
def test_upload_failures(exc: type[httpx.TransportError], expected: type[Exception]) -> None:
    wire = Wire(_raiser(exc))
    with pytest.raises(expected) as info:
        wire.client.upload.image("s1", b"\xff\xd8\xff\xe0data")
    assert type(info.value) is expected


class _BreakingStream(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield b"first chunk"
        raise httpx.ReadError("connection lost")


def test_download_to_path_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "image.jpg"
    target.write_bytes(b"previous")
    wire = Wire(lambda r: httpx.Response(200, stream=_BreakingStream()))
    with pytest.raises(APIConnectionError):
        wire.client.polling.download("s1", "img", to=target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["image.jpg"]
    wire.respond = lambda r: httpx.Response(200, content=b"new image")
    assert wire.client.polling.download("s1", "img", to=str(target)) == 9
    assert target.read_bytes() == b"new image"
    assert [p.name for p in tmp_path.iterdir()] == ["image.jpg"]


def test_download_to_path_is_fsynced_before_and_after_the_rename(
    tmp_path: Path, disk_writes: list[str]
) -> None:
    """The file's bytes reach the disk before it takes the target's name, and the folder (the
    rename itself) after: a power cut leaves the old file or the whole new one."""
    target = tmp_path / "image.jpg"
    wire = Wire(lambda r: httpx.Response(200, content=b"new image"))
    assert wire.client.polling.download("s1", "img", to=target) == 9
    assert disk_writes == ["fsync file of 9 bytes", "rename to image.jpg", "fsync folder True"]
    assert target.read_bytes() == b"new image"


def test_download_targets(tmp_path: Path) -> None:
    wire = Wire(lambda r: httpx.Response(200, content=b"bytes!"))
    assert wire.client.uploads.download("rec") == b"bytes!"
    buffer = io.BytesIO()
    assert wire.client.uploads.download("rec", to=buffer) == 6
    assert buffer.getvalue() == b"bytes!"
    with pytest.raises(InvalidInputError):
        wire.client.uploads.download("rec", to=tmp_path)
    with pytest.raises(InvalidInputError):
        wire.client.uploads.download("rec", to=io.StringIO())  # type: ignore[call-overload]
    with pytest.raises(InvalidInputError):
        wire.client.uploads.download("rec", to=tmp_path / "missing-dir" / "x.jpg")


def test_download_error_status(tmp_path: Path) -> None:
    body = json.dumps({"message": "Image not found", "code": "NOT_FOUND"}).encode()
    wire = Wire(lambda r: httpx.Response(404, content=body))
    with pytest.raises(NotFoundError) as info:
        wire.client.polling.download("s1", "img", to=tmp_path / "x.jpg")
    assert info.value.message == "Image not found"
    assert list(tmp_path.iterdir()) == []


class _Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """An image body arriving as 600-byte chunks (1,200 bytes)."""

    def __iter__(self) -> Iterator[bytes]:
        yield from (b"x" * 600, b"y" * 600)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


IMAGE = b"x" * 600 + b"y" * 600


def test_a_download_kept_in_memory_is_held_to_the_clients_limit(tmp_path: Path) -> None:
    wire = Wire(lambda r: httpx.Response(200, stream=_Chunks()), max_download_bytes=1000)
    with pytest.raises(ResponseTooLargeError, match=r"1000 bytes \(max_download_bytes\)") as info:
        wire.client.polling.download("s1", "img")
    assert info.value.status_code == 200
    assert wire.client.polling.download("s1", "img", to=tmp_path / "a.jpg") == 1200  # to disk
    assert wire.client.polling.download("s1", "img", max_bytes=1200) == IMAGE  # its own bound
    with pytest.raises(InvalidInputError, match="max_download_bytes"):
        Apertur(KEY, max_download_bytes=0)


def test_a_download_is_held_to_the_size_the_caller_knows(tmp_path: Path) -> None:
    wire = Wire(lambda r: httpx.Response(200, stream=_Chunks()))
    with pytest.raises(ResponseTooLargeError, match=r"1199 bytes \(max_bytes\)"):
        wire.client.polling.download("s1", "img", max_bytes=1199)
    with pytest.raises(ResponseTooLargeError):
        wire.client.uploads.download("rec", to=tmp_path / "a.jpg", max_bytes=1199)
    assert list(tmp_path.iterdir()) == []  # nothing half-written is left behind
    assert wire.client.polling.download("s1", "img", max_bytes=1200) == IMAGE
    for bad in (-1, True, 1.5, "1200"):
        with pytest.raises(InvalidInputError, match="max_bytes"):
            wire.client.polling.download("s1", "img", max_bytes=bad)  # type: ignore[call-overload]


def test_a_download_held_to_a_small_size_keeps_its_error_message(tmp_path: Path) -> None:
    """``max_bytes`` bounds the image, not an error's body (its first MiB is kept, as for any
    call): the server's message survives an image smaller than it."""
    error = json.dumps({"message": "the image store is down", "code": "STORE_DOWN"}).encode()
    wire = Wire(lambda r: httpx.Response(503, stream=httpx.ByteStream(error)), max_retries=0)
    with pytest.raises(ServerError, match="the image store is down") as info:
        wire.client.polling.download("s1", "img", max_bytes=4)
    assert info.value.code == "STORE_DOWN"
    with pytest.raises(ServerError, match="the image store is down"):
        wire.client.uploads.download("rec", to=tmp_path / "a.jpg", max_bytes=4)


def test_an_async_download_is_held_to_its_limits() -> None:
    async def main() -> None:
        inner = httpx.AsyncClient(
            transport=httpx.MockTransport(lambda r: httpx.Response(200, stream=_Chunks()))
        )
        async with AsyncApertur(KEY, http_client=inner, max_download_bytes=1000) as client:
            with pytest.raises(ResponseTooLargeError, match="max_download_bytes"):
                await client.polling.download("s1", "img")
            with pytest.raises(ResponseTooLargeError, match="max_bytes"):
                await client.polling.download("s1", "img", to=io.BytesIO(), max_bytes=1199)
            assert await client.polling.download("s1", "img", max_bytes=1200) == IMAGE

    anyio.run(main)


class _Watched(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Two 64 KiB chunks; before sending the second, notes how much of the first is on disk."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.on_disk: list[int] = []

    def _chunks(self) -> Iterator[bytes]:
        yield b"a" * 65536
        self.on_disk.append(sum(p.stat().st_size for p in self.folder.iterdir()))
        yield b"b" * 65536

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks():
            yield chunk


def test_a_download_to_a_file_is_written_as_it_arrives(tmp_path: Path) -> None:
    """Streamed: each chunk is on disk before the next is read, whatever the client's in-memory
    limit (max_download_bytes holds downloads kept in memory only); sync and async."""
    stream = _Watched(tmp_path)
    wire = Wire(lambda r: httpx.Response(200, stream=stream), max_download_bytes=1000)
    assert wire.client.polling.download("s1", "img", to=tmp_path / "sync.jpg") == 131072
    assert stream.on_disk == [65536]

    async def main() -> None:
        respond = lambda r: httpx.Response(200, stream=stream)  # noqa: E731
        inner = httpx.AsyncClient(transport=httpx.MockTransport(respond))
        async with AsyncApertur(KEY, http_client=inner, max_download_bytes=1000) as client:
            assert await client.polling.download("s1", "img", to=tmp_path / "async.jpg") == 131072

    anyio.run(main)
    assert stream.on_disk == [65536, 131072 + 65536]  # sync.jpg, then async.jpg's first chunk
    assert (tmp_path / "async.jpg").read_bytes() == b"a" * 65536 + b"b" * 65536


def test_logging_never_shows_secrets(caplog: pytest.LogCaptureFixture) -> None:
    wire = Wire(signing_secret=SIGNING)
    wire.respond = lambda r: httpx.Response(
        200, json={"status": "active", "files": [], "lastChanged": "x"}
    )
    with caplog.at_level(logging.DEBUG, logger="apertur"):
        wire.client.sessions.delivery_status("s1", poll_from="CURSOR-123")
        wire.respond = lambda r: httpx.Response(201, json={"id": "i"})
        wire.client.upload.image("s1", b"\xff\xd8\xff\xe0data", password="PASSWORD-456")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET /api/v1/upload-sessions/s1/delivery-status -> 200" in text
    assert "attempt=1" in text
    for secret in (KEY, SIGNING, "CURSOR-123", "PASSWORD-456", "Bearer", "sha256="):
        assert secret not in text


def test_apertur_log_attaches_one_handler() -> None:
    before = list(logger.handlers)
    level = logger.level
    try:
        configure_from_env({"APERTUR_LOG": "debug"})
        configure_from_env({"APERTUR_LOG": "debug"})
        added = [h for h in logger.handlers if h not in before]
        assert len(added) == 1
        assert logger.level == logging.DEBUG
        configure_from_env({"APERTUR_LOG": "nonsense"})
        assert logger.level == logging.DEBUG
    finally:
        for handler in logger.handlers[:]:
            if handler not in before:
                logger.removeHandler(handler)
        logger.setLevel(level)


def test_one_deadline_for_json_calls_none_for_streams_unless_timed(wire: Wire) -> None:
    before = time.monotonic()
    wire.client.sessions.get("s1", timeout=5)
    deadline = wire.last.extensions["apertur.deadline"]
    assert before + 5 <= deadline <= time.monotonic() + 5
    assert "apertur.max_response_bytes" not in wire.last.extensions  # the client's limit
    wire.respond = lambda r: httpx.Response(200, content=b"img")
    wire.client.polling.download("s1", "img")
    assert wire.last.extensions["apertur.deadline"] is None
    # kept in memory: held to the download limit (not max_response_bytes); to a file: no limit
    assert wire.last.extensions["apertur.max_response_bytes"] == 256 << 20
    wire.client.polling.download("s1", "img", to=io.BytesIO())
    assert wire.last.extensions["apertur.max_response_bytes"] is None
    wire.client.polling.download("s1", "img", timeout=httpx.Timeout(5, read=30))
    assert wire.last.extensions["apertur.deadline"] <= time.monotonic() + 30
    wire.respond = lambda r: httpx.Response(201, json={"id": "i"})
    wire.client.upload.image("s1", b"\xff\xd8\xff\xe0data", max_retries=1)
    assert wire.last.extensions["apertur.deadline"] is None
    assert "apertur.max_response_bytes" not in wire.last.extensions  # a JSON answer
    assert wire.last.extensions["apertur.upload"] is True
    assert wire.last.extensions["apertur.max_retries"] == 1


# --- per-call extras: what the API accepts beyond this version of the SDK ------------------------


def test_extras_are_merged_into_the_request(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(201, json={"id": "s", "uuid": "s", "upload_url": "u"})
    wire.client.sessions.create(
        max_images=3,
        extra_body={"label": "new-field", "max_images": 4},
        extra_query={"beta": "1"},
        extra_headers={"X-Feature": "on"},
    )
    assert wire.body() == {"max_images": 4, "label": "new-field"}
    assert wire.last.url.params["beta"] == "1"
    assert wire.last.headers["x-feature"] == "on"


def test_extras_on_a_body_less_call(wire: Wire) -> None:
    wire.client.sessions.get("s1", extra_body={"x": 1}, extra_query={"expand": "files"})
    assert wire.last.headers["content-type"] == "application/json"
    assert wire.body() == {"x": 1}
    assert wire.last.url.params["expand"] == "files"


def test_extras_are_signed_with_the_rest() -> None:
    wire = Wire(signing_secret=SIGNING)
    wire.client.sessions.get("s1", extra_query={"expand": "files"})
    request = wire.last
    timestamp = int(request.headers["x-aptr-timestamp"])
    target = request.url.raw_path.decode()
    assert "expand=files" in target
    expected = sign_request(SIGNING, "GET", target, b"", timestamp)
    assert request.headers["x-aptr-signature"] == expected


def test_a_body_field_named_like_an_option_moves_the_option(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(201, json={"id": "w", "url": "u", "topics": ["t"]})
    wire.client.webhooks.create("p", url="https://x", topics=["t"], max_retries=5)
    assert wire.body()["maxRetries"] == 5  # type: ignore[index]
    sig = inspect.signature(wire.client.webhooks.create)
    assert "request_max_retries" in sig.parameters
    assert "max_retries" in sig.parameters


@pytest.mark.parametrize(
    "extras",
    [
        {"extra_body": ["not", "a", "mapping"]},
        {"extra_query": "a=1"},
        {"extra_headers": 3},
    ],
)
def test_bad_extras_fail_before_sending(wire: Wire, extras: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        wire.client.sessions.get("s1", **extras)  # type: ignore[arg-type]
    assert wire.seen == []


def test_a_long_poll_never_shortens_a_longer_read_timeout() -> None:
    wire = Wire(timeout=httpx.Timeout(10, read=LONG_POLL_READ_TIMEOUT + 240))
    wire.respond = lambda r: httpx.Response(
        200, json={"status": "active", "files": [], "lastChanged": "x"}
    )
    wire.client.sessions.delivery_status("s1", poll_from="2026-01-01T00:00:00.000Z")
    read = wire.last.extensions["timeout"]["read"]
    assert read == pytest.approx(LONG_POLL_READ_TIMEOUT + 240, abs=1)


def test_max_bytes_zero_means_an_empty_download(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(200, content=b"")
    assert wire.client.polling.download("s1", "img", max_bytes=0) == b""
    wire.respond = lambda r: httpx.Response(200, stream=httpx.ByteStream(b"x"))
    with pytest.raises(ResponseTooLargeError):
        wire.client.polling.download("s1", "img", max_bytes=0)
    with pytest.raises(InvalidInputError) as info:
        wire.client.polling.download("s1", "img", max_bytes=-1)
    assert str(info.value) == "max_bytes must be a non-negative number of bytes"


def test_a_success_whose_body_cannot_be_parsed_is_a_typed_error(wire: Wire) -> None:
    wire.respond = lambda r: httpx.Response(
        200, content=b"{not json", headers={"content-type": "application/json"}
    )
    with pytest.raises(InvalidResponseError):
        wire.client.sessions.get("s1")

    async def main() -> None:
        respond = lambda r: httpx.Response(200, content=b"{not json")  # noqa: E731
        inner = httpx.AsyncClient(transport=httpx.MockTransport(respond))
        async with AsyncApertur(KEY, http_client=inner) as client:
            with pytest.raises(InvalidResponseError):
                await client.sessions.get("s1")

    anyio.run(main)


def test_an_async_json_answer_is_held_to_max_response_bytes() -> None:
    async def main() -> None:
        big = json.dumps({"id": "s1", "status": "active", "pad": "x" * 5000}).encode()
        respond = lambda r: httpx.Response(200, stream=httpx.ByteStream(big))  # noqa: E731
        inner = httpx.AsyncClient(transport=httpx.MockTransport(respond))
        async with AsyncApertur(KEY, http_client=inner, max_response_bytes=1000) as client:
            with pytest.raises(ResponseTooLargeError, match=r" 1000 bytes \(max_response_bytes\)"):
                await client.sessions.get("s1")

    anyio.run(main)


def test_an_async_client_used_in_another_event_loop_says_so() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("Event loop is closed")

    async def main() -> None:
        inner = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with AsyncApertur(KEY, http_client=inner) as client:
            with pytest.raises(InvalidInputError) as info:
                await client.sessions.get("s1")
        assert str(info.value) == (
            "the request could not be sent (Event loop is closed); an AsyncApertur belongs to the "
            "event loop it was first used in: create one per loop"
        )

    anyio.run(main)


def test_the_request_cores_repr_names_their_kind_and_settings() -> None:
    assert repr(Apertur(KEY)._core).startswith("SyncCore(ClientConfig(")
    assert repr(AsyncApertur(KEY)._core).startswith("AsyncCore(ClientConfig(")
    assert KEY not in repr(Apertur(KEY)._core)


def test_a_body_that_cannot_be_encoded_is_invalid_input(wire: Wire) -> None:
    with pytest.raises(InvalidInputError) as info:
        wire.client.sessions.create(max_images=object())  # type: ignore[arg-type]
    assert str(info.value) == (
        "the request could not be built: Object of type object is not JSON serializable"
    )
    assert wire.seen == []
