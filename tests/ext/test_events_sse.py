"""The Server-Sent Events transport of ``client.events.subscribe`` (sync and async), and its wire
decoder, against scripted streams (httpx.MockTransport, no network): the request it sends,
resuming with ``Last-Event-ID``, the reconnection rule, typed errors, hostile streams, callbacks,
the bounded buffer. The same transport against a live apertur_local (with a dropped connection)
is in tests/e2e/test_e2e_events.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apertur_ext import (
    Apertur,
    AperturError,
    APIConnectionError,
    AsyncApertur,
    AuthenticationError,
    Event,
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
)
from apertur_ext._core.transport import EXT_DEADLINE, EXT_MAX_BYTES
from apertur_ext._events.stream import EventStreamDecoder

KEY = "aptr_test_SECRETkey"
SESSION = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
IMAGE = {"sessionId": SESSION, "imageId": "img_1", "filename": "a.jpg", "sizeBytes": 3}
FAST = {"reconnection_delay": 0.01, "reconnection_delay_max": 0.02}
WAIT = 10.0


def frame(event_id: str, name: str, data: object) -> bytes:
    return f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data)}\n\n".encode()


def connected(event_id: str) -> bytes:
    return frame(event_id, "connected", {"sessionId": SESSION})


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body sent as the given chunks, then ended (sync and async)."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


def stream(*chunks: bytes, content_type: str = "text/event-stream") -> httpx.Response:
    return httpx.Response(200, headers={"content-type": content_type}, stream=Chunks(*chunks))


class Script:
    """Answers each request with the next response; once they are used up, 404 (which ends a
    subscription), so every test ends by itself."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.responses:
            return self.responses.pop(0)
        return httpx.Response(404, json={"message": "Session not found", "code": "NOT_FOUND"})

    def resumed_from(self) -> list[str | None]:
        return [request.headers.get("last-event-id") for request in self.requests]


def sync_client(script: Script) -> Apertur:
    http = httpx.Client(transport=httpx.MockTransport(script))
    return Apertur(KEY, base_url="https://api.example", http_client=http)


def async_client(script: Script) -> AsyncApertur:
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    return AsyncApertur(KEY, base_url="https://api.example", http_client=http)


# --- the decoder ---------------------------------------------------------------------------------

WIRE = (
    b": heartbeat\n\n"
    b'id: e-1\r\nevent: image:ready\r\ndata: {"a":\r\ndata: 1}\r\n\r\n'
    b"id: e-2\revent: caf\xc3\xa9\rdata: x\r\r"
    b"data: no name, id carried over\n\n"
    b"id: e-3\nevent: no-data\n\n"
    b"retry: 10\nunknown: field\ndata:no space\n\n"
)
EXPECTED = [
    ("e-1", "image:ready", '{"a":\n1}'),
    ("e-2", "café", "x"),
    ("e-2", "message", "no name, id carried over"),
    ("e-3", "message", "no space"),
]


@given(st.lists(st.integers(min_value=1, max_value=len(WIRE) - 1), max_size=12))
def test_decoder_gives_the_same_events_however_the_bytes_are_split(cuts: list[int]) -> None:
    decoder, frames, start = EventStreamDecoder(), [], 0
    for end in [*sorted(set(cuts)), len(WIRE)]:
        frames += decoder.feed(WIRE[start:end])
        start = end
    assert frames == EXPECTED


def test_decoder_refuses_an_endless_line_and_an_endless_event() -> None:
    decoder = EventStreamDecoder(limit=100)
    assert decoder.feed(b"data: " + b"x" * 90) == []
    with pytest.raises(InvalidResponseError, match="longer than 100 bytes"):
        decoder.feed(b"x" * 20)  # no line end yet: still counted
    lines = EventStreamDecoder(limit=100)
    for _ in range(5):
        lines.feed(b"data: 0123456789\n")  # many short lines, one event
    with pytest.raises(InvalidResponseError):
        lines.feed(b"data: 0123456789\n")
    assert EventStreamDecoder(limit=100).feed(b"data: x\n\n" * 50) == [("", "message", "x")] * 50


# --- sync ----------------------------------------------------------------------------------------


def test_the_request_carries_the_key_in_the_header_never_in_the_url() -> None:
    script = Script(stream(connected("e-0")))
    with sync_client(script) as client:
        sub = client.events.subscribe(SESSION, **FAST)
        assert [e.name for e in sub] == ["connected", "close", "error"]
    first = script.requests[0]
    assert (first.method, first.url.path) == ("GET", f"/api/v1/sessions/{SESSION}/events")
    assert first.headers["authorization"] == f"Bearer {KEY}"
    assert first.headers["accept"] == "text/event-stream"
    assert KEY not in str(first.url)
    assert (
        first.headers["x-apertur-retry-count"] == "0"
    )  # the subscription retries, not the transport
    assert first.extensions["timeout"]["read"] == 45.0  # three of the server's heartbeats
    # A stream never ends: neither the call deadline nor the response size limit applies.
    assert first.extensions[EXT_DEADLINE] is None
    assert first.extensions[EXT_MAX_BYTES] is None
    assert script.resumed_from() == [None, "e-0"]


def test_resumes_from_the_last_event_id_after_the_stream_ends() -> None:
    script = Script(
        stream(connected("e-0"), frame("e-1", "image:ready", IMAGE)),
        stream(connected("e-1"), frame("e-2", "image:delivered", {**IMAGE, "status": "sent"})),
    )
    seen: list[Event] = []
    with sync_client(script) as client:
        sub = client.events.subscribe(SESSION, callbacks={"*": seen.append}, **FAST)
        events = list(sub)
    assert [(e.name, e.id) for e in events] == [
        ("connected", "e-0"),
        ("image:ready", "e-1"),
        ("close", None),
        ("connected", "e-1"),
        ("image:delivered", "e-2"),
        ("close", None),
        ("error", None),
    ]
    assert events == seen
    assert events[1].data is not None
    assert events[1].data.image_id == "img_1"
    assert events[2].raw == {"reason": "the server ended the stream"}
    assert events[-1].raw == {"message": "Session not found"}
    assert script.resumed_from() == [None, "e-1", "e-2"]


def test_a_given_last_event_id_is_sent_on_the_first_request() -> None:
    script = Script(stream(connected("e-7")))
    with sync_client(script) as client:
        sub = client.events.subscribe(SESSION, last_event_id="e-6", reconnection=False)
        assert [e.name for e in sub] == ["connected", "close"]
    assert script.resumed_from() == ["e-6"]


def test_retryable_failures_are_retried_fatal_ones_end_the_subscription() -> None:
    unavailable = httpx.Response(503, headers={"retry-after": "0.01"}, json={"message": "busy"})
    script = Script(
        stream(connected("e-0")),
        unavailable,
        httpx.Response(502, text="<html>bad gateway</html>"),
        stream(connected("e-0"), frame("e-1", "image:ready", IMAGE)),
        httpx.Response(401, json={"message": "Invalid API key"}),
    )
    with sync_client(script) as client:
        events = list(client.events.subscribe(SESSION, **FAST))
    assert [e.name for e in events] == [
        "connected",
        "close",
        "error",  # 503
        "error",  # 502
        "connected",
        "image:ready",
        "close",
        "error",  # 401: not retried
    ]
    assert len(script.requests) == 5
    assert "Invalid API key" in events[-1].raw["message"]


@pytest.mark.parametrize(
    ("response", "error", "match"),
    [
        (httpx.Response(404, json={"message": "Session not found"}), NotFoundError, "not found"),
        (httpx.Response(401, json={"message": "Invalid API key"}), AuthenticationError, "API key"),
        (stream(b"<html>", content_type="text/html"), InvalidResponseError, "not a stream"),
        (httpx.Response(503, json={"message": "Too many streams"}), AperturError, "Too many"),
    ],
)
def test_the_first_connection_raises_its_typed_error(
    response: httpx.Response, error: type[Exception], match: str
) -> None:
    errors: list[Event] = []
    with sync_client(Script(response)) as client:
        with pytest.raises(error, match=match):
            client.events.subscribe(SESSION, callbacks={"error": errors.append})
    assert len(errors) == 1


def test_unreachable_server_and_closed_client() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = Apertur(
        KEY,
        base_url="https://api.example",
        http_client=httpx.Client(transport=httpx.MockTransport(refuse)),
    )
    with pytest.raises(APIConnectionError, match="ConnectError"):
        client.events.subscribe(SESSION)
    client.close()
    with pytest.raises(InvalidInputError, match="closed"):
        client.events.subscribe(SESSION)


def test_hostile_streams_end_the_subscription_with_an_error() -> None:
    script = Script(stream(connected("e-0"), b"data: " + b"x" * (2 << 20)))
    with sync_client(script) as client:
        events = list(client.events.subscribe(SESSION, **FAST))
    assert [e.name for e in events] == ["connected", "close"]
    assert "longer than" in events[-1].raw["reason"]
    assert len(script.requests) == 1  # not reopened: the same event would come again


def test_unexpected_payloads_are_kept_raw(caplog: pytest.LogCaptureFixture) -> None:
    script = Script(
        stream(
            connected("e-0"),
            b"id: e-1\nevent: image:ready\ndata: not json\n\n",
            frame("e-2", "image:failed", {"imageId": 5}),
            frame("e-3", "session:completed", {"sessionId": SESSION, "imagesCount": 2}),
        )
    )
    with sync_client(script) as client, caplog.at_level(logging.WARNING, "apertur"):
        events = list(client.events.subscribe(SESSION, reconnection=False))
    assert [(e.name, e.data, e.raw) for e in events[1:4]] == [
        ("image:ready", None, "not json"),
        ("image:failed", None, {"imageId": 5}),
        ("session:completed", None, {"sessionId": SESSION, "imagesCount": 2}),
    ]
    assert "unexpected shape" in caplog.text


def test_bounded_buffer_failing_callbacks_and_decorator(caplog: pytest.LogCaptureFixture) -> None:
    images = [frame(f"e-{n}", "image:ready", {**IMAGE, "imageId": f"i{n}"}) for n in range(1, 6)]
    script = Script(stream(connected("e-0"), *images))
    with sync_client(script) as client:
        sub = client.events.subscribe(SESSION, connect=False, max_buffer=2, reconnection=False)
        ready: list[str] = []

        @sub.on("image:ready")
        def record(event: Event) -> None:
            ready.append(event.raw["imageId"])
            raise RuntimeError("callback bug")

        with caplog.at_level(logging.ERROR, "apertur"), sub:
            sub._thread.join(WAIT)  # type: ignore[union-attr]  # the stream has ended
            assert [e.name for e in sub] == ["image:ready", "close"]  # the last two only
    assert ready == ["i1", "i2", "i3", "i4", "i5"]
    assert "callback for image:ready failed" in caplog.text


def test_arguments_and_repr() -> None:
    with sync_client(Script()) as client:
        for bad in ({"transport": "websocket"}, {"max_buffer": 0}, {"read_timeout": 0}):
            with pytest.raises(InvalidInputError):
                client.events.subscribe(SESSION, connect=False, **bad)
        with pytest.raises(InvalidInputError):
            client.events.subscribe("")
        sub = client.events.subscribe(SESSION, connect=False)
        assert (
            repr(sub)
            == f"EventSubscription(session_uuid={SESSION!r}, transport='sse', closed=False)"
        )
        assert sub.next_event(0) is None
        sub.close()
        with pytest.raises(InvalidInputError, match="already connected or closed"):
            sub.connect()


# --- async ---------------------------------------------------------------------------------------


def test_async_resumes_and_awaits_coroutine_callbacks() -> None:
    script = Script(
        stream(connected("e-0"), frame("e-1", "image:ready", IMAGE)),
        stream(connected("e-1"), frame("e-2", "image:ready", {**IMAGE, "imageId": "img_2"})),
    )
    seen: list[str] = []

    async def record(event: Event) -> None:
        await asyncio.sleep(0)
        seen.append(event.name)

    async def main() -> list[Event]:
        async with async_client(script) as client:
            sub = await client.events.subscribe(SESSION, callbacks={"*": record}, **FAST)
            return [event async for event in sub]

    events = asyncio.run(main())
    assert [(e.name, e.id) for e in events] == [
        ("connected", "e-0"),
        ("image:ready", "e-1"),
        ("close", None),
        ("connected", "e-1"),
        ("image:ready", "e-2"),
        ("close", None),
        ("error", None),
    ]
    assert seen == [e.name for e in events]
    assert script.resumed_from() == [None, "e-1", "e-2"]


def test_async_first_connection_errors_and_close() -> None:
    async def main() -> None:
        async with async_client(Script()) as client:
            with pytest.raises(NotFoundError):
                await client.events.subscribe(SESSION)
        script = Script(stream(connected("e-0")))
        async with async_client(script) as client:
            sub = await client.events.subscribe(SESSION, reconnection=False)
            assert (await sub.next_event(WAIT)).name == "connected"  # type: ignore[union-attr]
            await sub.close()
            await sub.close()  # idempotent
            assert [e.name async for e in sub] == ["close"]
            assert await sub.next_event(0) is None

    asyncio.run(main())
