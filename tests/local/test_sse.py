"""Server-Sent Events of apertur_local, at the ASGI level: framing, replay, heartbeats, limits.

Each test drives the app's ASGI callable directly with a recording ``send`` (so it sees every
message, i.e. every socket write, exactly as uvicorn would get it) and appends events to the
state's event log itself. End-to-end behaviour over loopback is in test_sse_live.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from apertur_local import Clock, LocalConfig
from apertur_local._app import LocalApp, build_app
from apertur_local._sse import HEARTBEAT, event_frame, install_token_redaction
from apertur_local._store_keys import BOOTSTRAP_KEY_ID
from apertur_local._store_sessions import SessionOptions

pytestmark = pytest.mark.anyio

FRAME = re.compile(
    r"^id: (?P<id>[0-9a-f]{8}-\d+)\nevent: (?P<event>[a-z:]+)\ndata: (?P<data>[^\n]*)\n\n$"
)
API_KEY = "aptr_test_local"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def scope_for(
    path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> dict[str, Any]:
    """The ASGI scope uvicorn would build for this request."""
    raw_path, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (k.lower().encode(), v.encode())
            for k, v in {"Host": "127.0.0.1:8484", **(headers or {})}.items()
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8484),
    }


class StreamCall:
    """One request through the ASGI app; ``messages`` receives everything the app sends."""

    def __init__(
        self,
        app: LocalApp,
        path: str,
        headers: dict[str, str] | None = None,
        method: str = "GET",
    ) -> None:
        self.messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._hang_up = asyncio.Event()
        self._requested = False
        scope = scope_for(path, headers, method)
        self.task = asyncio.ensure_future(app.asgi(scope, self._receive, self._send))

    async def _receive(self) -> dict[str, Any]:
        if not self._requested:
            self._requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self._hang_up.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: dict[str, Any]) -> None:
        await self.messages.put(message)

    async def next(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.messages.get(), 10)

    async def start(self) -> dict[str, Any]:
        message = await self.next()
        assert message["type"] == "http.response.start"
        return message

    async def event(self) -> dict[str, Any]:
        """The next event written (heartbeats skipped), parsed from its one body message."""
        while True:
            message = await self.next()
            assert message["type"] == "http.response.body"
            assert message["more_body"] is True
            if message["body"] != HEARTBEAT:
                return parse_frame(message["body"])

    def hang_up(self) -> None:
        self._hang_up.set()


def parse_frame(body: bytes) -> dict[str, Any]:
    match = FRAME.match(body.decode())
    assert match is not None, body
    return {"id": match["id"], "event": match["event"], "data": json.loads(match["data"])}


@pytest.fixture
async def app() -> AsyncIterator[LocalApp]:
    built = build_app(LocalConfig(event_heartbeat=30.0, max_event_streams=3), clock=Clock())
    yield built
    built.state.close()


def new_session(app: LocalApp) -> str:
    key = app.state.tables.keys[BOOTSTRAP_KEY_ID]
    return app.state.sessions.create(key, SessionOptions()).id


def stream(app: LocalApp, session_id: str, headers: dict[str, str] | None = None) -> StreamCall:
    return StreamCall(app, f"/api/v1/upload/{session_id}/events", headers)


async def finish(call: StreamCall) -> None:
    call.hang_up()
    await asyncio.wait_for(call.task, 10)


async def test_connected_first_then_each_event_in_one_write(app: LocalApp) -> None:
    sid = new_session(app)
    call = stream(app, sid)
    start = await call.start()
    assert start["status"] == 200
    headers = dict(start["headers"])
    assert headers[b"content-type"] == b"text/event-stream"
    assert headers[b"cache-control"] == b"no-cache"
    connected = await call.event()
    assert connected["event"] == "connected"
    assert connected["data"] == {"sessionId": sid}
    assert connected["id"] == app.state.event_log.event_id(app.state.event_log.head)
    log = app.state.event_log
    log.append(new_session(app), "image:ready", {"imageId": "elsewhere"})  # another session
    first = log.append(sid, "image:ready", {"sessionId": sid, "imageId": "img_1"})
    second = log.append(sid, "image:delivered", {"imageId": "img_1", "destinationId": "d"})
    got = [await call.event(), await call.event()]
    assert got == [
        {"id": first.id, "event": "image:ready", "data": {"sessionId": sid, "imageId": "img_1"}},
        {"id": second.id, "event": "image:delivered", "data": dict(second.data)},
    ]
    assert call.messages.empty()
    await finish(call)


def test_json_data_stays_on_one_line() -> None:
    name = "two\nlines\r\u2028.png"
    frame = event_frame("0badcafe-1", "image:ready", {"filename": name, "n": 1})
    assert frame.count(b"\n") == 4  # id, event, data, then the blank line
    assert b"\r" not in frame
    assert frame.startswith(b"id: 0badcafe-1\nevent: image:ready\ndata: {")
    assert parse_frame(frame)["data"] == {"filename": name, "n": 1}


async def test_last_event_id_replays_what_was_missed_once(app: LocalApp) -> None:
    sid = new_session(app)
    log = app.state.event_log
    events = [log.append(sid, "image:ready", {"imageId": f"img_{n}"}) for n in range(4)]
    call = stream(app, sid, {"Last-Event-ID": events[1].id})
    await call.start()
    connected = await call.event()
    assert connected["id"] == events[1].id  # resuming from it again loses nothing
    replayed = [await call.event(), await call.event()]
    assert [e["id"] for e in replayed] == [events[2].id, events[3].id]
    live = log.append(sid, "image:ready", {"imageId": "img_live"})
    assert (await call.event())["id"] == live.id
    assert call.messages.empty()
    await finish(call)


async def test_a_foreign_last_event_id_replays_everything_retained(app: LocalApp) -> None:
    sid = new_session(app)
    log = app.state.event_log
    events = [log.append(sid, "image:ready", {"n": n}) for n in range(2)]
    call = stream(app, sid, {"Last-Event-ID": "0badcafe-7"})  # from another run of the server
    await call.start()
    assert (await call.event())["id"] == log.event_id(0)
    assert [(await call.event())["id"] for _ in events] == [e.id for e in events]
    await finish(call)


async def test_events_older_than_the_retention_are_not_replayed(app: LocalApp) -> None:
    sid = new_session(app)
    log = app.state.event_log
    old = log.append(sid, "image:ready", {"n": 1})
    app.state.clock.advance(app.state.config.event_retention + 1)
    recent = log.append(sid, "image:ready", {"n": 2})
    call = stream(app, sid, {"Last-Event-ID": log.event_id(0)})
    await call.start()
    await call.event()  # connected
    assert (await call.event())["id"] == recent.id
    assert call.messages.empty()
    assert old.id != recent.id
    await finish(call)


async def test_an_idle_stream_writes_heartbeat_comments() -> None:
    app = build_app(LocalConfig(event_heartbeat=0.01), clock=Clock())
    try:
        call = stream(app, new_session(app))
        await call.start()
        await call.event()  # connected
        assert (await call.next())["body"] == b": heartbeat\n\n"
        assert (await call.next())["body"] == b": heartbeat\n\n"
        await finish(call)
    finally:
        app.state.close()


@pytest.mark.parametrize("how", ["reset", "shutdown"])
async def test_reset_and_shutdown_end_the_stream_cleanly(app: LocalApp, how: str) -> None:
    call = stream(app, new_session(app))
    await call.start()
    await call.event()
    if how == "reset":
        app.state.reset()
    else:
        app.state.release_waiters()
    assert await call.next() == {"type": "http.response.body", "body": b"", "more_body": False}
    await asyncio.wait_for(call.task, 10)


async def test_a_client_hanging_up_ends_the_stream_and_frees_its_slot(app: LocalApp) -> None:
    sid = new_session(app)
    calls = [stream(app, sid) for _ in range(3)]
    for call in calls:
        await call.start()
    refused = stream(app, sid)
    start = await refused.start()
    assert start["status"] == 503
    assert dict(start["headers"])[b"retry-after"] == b"5"
    body = json.loads((await refused.next())["body"])
    assert body == {
        "message": "Too many open event streams (at most 3); retry later",
        "code": "SERVICE_UNAVAILABLE",
    }
    await finish(calls[0])
    again = stream(app, sid)
    assert (await again.start())["status"] == 200
    for call in [*calls[1:], again]:
        await finish(call)


async def test_a_slow_reader_holds_one_write_and_no_queue(
    app: LocalApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the transport does not accept a write, the stream waits there and reads nothing
    more from the log: what a slow client costs is one frame, however much happens meanwhile."""
    sid = new_session(app)
    log = app.state.event_log
    reads = 0
    real_after = log.after

    def counting_after(session_id: str, cursor: int, limit: int) -> Any:
        nonlocal reads
        reads += 1
        return real_after(session_id, cursor, limit)

    monkeypatch.setattr(log, "after", counting_after)
    attempts: list[bytes] = []
    accept = asyncio.Event()
    first_write = asyncio.Event()
    all_written = asyncio.Event()
    appended: list[Any] = []

    async def slow_send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            attempts.append(message["body"])
            first_write.set()
            await accept.wait()
            if len(attempts) == 1 + len(appended):
                all_written.set()

    async def receive() -> dict[str, Any]:
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    task = asyncio.ensure_future(
        app.asgi(scope_for(f"/api/v1/upload/{sid}/events"), receive, slow_send)
    )
    await asyncio.wait_for(first_write.wait(), 10)
    appended.extend(log.append(sid, "image:ready", {"n": n}) for n in range(500))
    for _ in range(50):
        await asyncio.sleep(0)
    assert len(attempts) == 1  # still on the first write (connected)
    assert reads == 0  # and nothing read ahead from the log
    accept.set()
    await asyncio.wait_for(all_written.wait(), 10)
    assert [parse_frame(w)["id"] for w in attempts[1:]] == [e.id for e in appended]
    assert reads <= 1 + len(appended) // 100 + 1  # read in batches, never more than needed
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_head_answers_the_headers_only(app: LocalApp) -> None:
    call = StreamCall(app, f"/api/v1/upload/{new_session(app)}/events", method="HEAD")
    assert (await call.start())["status"] == 200
    assert await call.next() == {"type": "http.response.body", "body": b"", "more_body": False}
    await asyncio.wait_for(call.task, 10)


def test_token_query_values_are_redacted_from_access_logs() -> None:
    install_token_redaction()
    logger = logging.getLogger("uvicorn.access")
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", f"/api/v1/sessions/s/events?a=1&token={API_KEY}&b=2", "1.1", 200),
        None,
    )
    assert all(f.filter(record) for f in logger.filters)
    line = record.getMessage()
    assert API_KEY not in line
    assert "token=[redacted]&b=2" in line


async def asgi_get(
    app: LocalApp, path: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A non-streaming answer (an error) through httpx's in-process ASGI transport."""
    transport = httpx.ASGITransport(app=app.asgi)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        return await client.get(path, headers=headers)


async def test_upload_path_needs_no_key_but_a_known_session(app: LocalApp) -> None:
    missing = await asgi_get(app, "/api/v1/upload/no-such-session/events")
    assert missing.status_code == 404
    assert missing.json() == {"message": "Session not found", "code": "NOT_FOUND"}
    call = stream(app, new_session(app))
    assert (await call.start())["status"] == 200
    await finish(call)


async def test_upload_path_checks_a_key_that_is_sent(app: LocalApp) -> None:
    sid = new_session(app)
    wrong = await asgi_get(
        app, f"/api/v1/upload/{sid}/events", {"Authorization": "Bearer aptr_test_wrong"}
    )
    assert wrong.status_code == 401
    call = StreamCall(app, f"/api/v1/upload/{sid}/events", {"Authorization": f"Bearer {API_KEY}"})
    assert (await call.start())["status"] == 200
    await finish(call)


async def test_upload_path_refuses_a_revoked_link(app: LocalApp) -> None:
    key, plain = app.state.keys.create(app.state.config.project_id, "test", "temporary")
    sid = app.state.sessions.create(key, SessionOptions()).id
    app.state.keys.delete(app.state.config.project_id, key.id)
    revoked = await asgi_get(app, f"/api/v1/upload/{sid}/events")
    assert revoked.status_code == 403
    assert plain not in revoked.text


async def test_upload_path_needs_no_signature_without_a_key() -> None:
    """With request signing on, the upload page's stream (no key, so no secret) still opens."""
    app = build_app(LocalConfig(signing_secret="s3cr3t"), clock=Clock())
    try:
        call = stream(app, new_session(app))
        assert (await call.start())["status"] == 200
        await finish(call)
        unsigned = await asgi_get(app, f"/api/v1/sessions/x/events?token={API_KEY}")
        assert unsigned.status_code == 401
        assert unsigned.json()["code"] == "INVALID_SIGNATURE"
    finally:
        app.state.close()


@pytest.mark.parametrize(
    ("headers", "query", "status"),
    [
        ({}, "", 401),
        ({}, "?token=", 401),
        ({}, "?token=aptr_test_wrong", 401),
        ({"Authorization": "Bearer aptr_test_wrong"}, f"?token={API_KEY}", 401),
        ({"Authorization": "Basic abc"}, f"?token={API_KEY}", 401),
        ({"Authorization": f"Bearer {API_KEY}"}, "", 200),
        ({}, f"?token={API_KEY}", 200),
    ],
)
async def test_sessions_path_takes_the_key_in_the_header_or_the_token_query(
    app: LocalApp, headers: dict[str, str], query: str, status: int
) -> None:
    sid = new_session(app)
    path = f"/api/v1/sessions/{sid}/events{query}"
    if status != 200:
        answer = await asgi_get(app, path, headers)
        assert answer.status_code == status
        assert answer.json()["code"] == "AUTHENTICATION_FAILED"
        assert API_KEY not in answer.text
        return
    call = StreamCall(app, path, headers)
    assert (await call.start())["status"] == 200
    assert (await call.event())["data"] == {"sessionId": sid}
    await finish(call)


async def test_sessions_path_answers_404_for_an_unknown_session(app: LocalApp) -> None:
    answer = await asgi_get(app, f"/api/v1/sessions/nope/events?token={API_KEY}")
    assert answer.status_code == 404
