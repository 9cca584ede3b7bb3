"""End to end: ``events.subscribe`` receives a session's real-time events from apertur_local, over
Server-Sent Events and Socket.IO, sync (iterator and callbacks) and async (``async for``): a
stream cut mid-way by the server's fault injection resumes with no event lost or repeated, both
transports give the same events for the same uploads, and failures are typed errors."""

from __future__ import annotations

import asyncio
import importlib.util
from typing import Any

import anyio
import httpx
import pytest
from e2ehelpers import jpeg_bytes

from apertur_ext import Apertur, AsyncApertur, AuthenticationError, Event, NotFoundError
from apertur_local import LocalApertur

WAIT = 20.0  # upper bound only: the events arrive within milliseconds
FAST = {"reconnection_delay": 0.05, "reconnection_delay_max": 0.2}
TRANSPORTS = [
    "sse",
    pytest.param(
        "socketio",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("socketio") is None, reason="the events extra is absent"
        ),
    ),
]


def _next_named(sub: Any, name: str) -> Event:
    while True:
        event = sub.next_event(timeout=WAIT)
        assert event is not None, f"no {name} event"
        if event.name == name:
            return event


def _drop_after(control: httpx.Client, session: str, events: int) -> None:
    """The next event stream of ``session`` breaks after its ``events``-th event."""
    rule = {
        "path": f"^/api/v1/sessions/{session}/events$",
        "method": "GET",
        "count": 1,
        "action": "drop_stream",
        "after_events": events,
    }
    control.post("/_local/faults", json=rule).raise_for_status()


def _image_events(events: list[Event]) -> list[tuple[str, str]]:
    return [(e.name, e.data.image_id) for e in events if e.data is not None]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_sync_subscription(apertur_local: LocalApertur, transport: str) -> None:
    with Apertur(apertur_local.api_key, base_url=apertur_local.url) as client:
        uuid = client.sessions.create().uuid
        seen: list[str] = []
        callbacks = {"*": lambda e: seen.append(e.name)}
        with client.events.subscribe(uuid, transport=transport, callbacks=callbacks) as sub:
            assert _next_named(sub, "connected").raw == {"sessionId": uuid}
            result = client.upload.image(uuid, jpeg_bytes(), filename="live.jpg")
            ready = _next_named(sub, "image:ready")
            assert ready.data is not None
            assert ready.data.image_id == result.id
            assert (ready.id is not None) == (transport == "sse")
        assert seen[:2] == ["connected", "image:ready"]
        assert seen[-1] == "close"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_async_subscription(apertur_local: LocalApertur, transport: str) -> None:
    async def main() -> None:
        async with AsyncApertur(apertur_local.api_key, base_url=apertur_local.url) as client:
            uuid = (await client.sessions.create()).uuid
            sub = await client.events.subscribe(uuid, transport=transport)
            async with sub:
                names = []
                uploaded_id = None
                with anyio.fail_after(WAIT):
                    async for event in sub:
                        names.append(event.name)
                        if event.name == "connected":
                            uploaded = await client.upload.image(
                                uuid, jpeg_bytes(), filename="a.jpg"
                            )
                            uploaded_id = uploaded.id
                        if event.name == "image:ready":
                            assert event.data is not None
                            assert event.data.image_id == uploaded_id
                            break
            assert names[0] == "connected"
            assert [e.name async for e in sub] == ["close"]

    anyio.run(main)


def test_sync_stream_cut_midway_resumes_without_loss_or_repeat(
    apertur_local: LocalApertur, control: httpx.Client
) -> None:
    with Apertur(apertur_local.api_key, base_url=apertur_local.url) as client:
        uuid = client.sessions.create().uuid
        _drop_after(control, uuid, 2)  # connected, the first image:ready, then the cut
        with client.events.subscribe(uuid, **FAST) as sub:
            ids = [
                client.upload.image(uuid, jpeg_bytes(), filename=f"{n}.jpg").id for n in range(5)
            ]
            events = []
            while len(_image_events(events)) < len(ids):
                event = sub.next_event(WAIT)
                assert event is not None, events
                events.append(event)
    names = [e.name for e in events]
    assert names.count("close") == 1  # the cut happened
    assert names.index("close") < names.index("connected", 1)  # and the stream was reopened
    assert _image_events(events) == [("image:ready", image_id) for image_id in ids]
    stream_ids = [e.id for e in events if e.data is not None]
    assert len(set(stream_ids)) == len(stream_ids)


def test_async_stream_cut_midway_resumes_without_loss_or_repeat(
    apertur_local: LocalApertur, control: httpx.Client
) -> None:
    async def main() -> tuple[list[str], list[Event]]:
        async with AsyncApertur(apertur_local.api_key, base_url=apertur_local.url) as client:
            uuid = (await client.sessions.create()).uuid
            _drop_after(control, uuid, 3)
            async with await client.events.subscribe(uuid, **FAST) as sub:
                ids = []
                for n in range(5):
                    ids.append(
                        (await client.upload.image(uuid, jpeg_bytes(), filename=f"{n}.jpg")).id
                    )
                events: list[Event] = []
                with anyio.fail_after(WAIT):
                    async for event in sub:
                        events.append(event)
                        if len(_image_events(events)) == len(ids):
                            break
            return ids, events

    ids, events = anyio.run(main)
    assert [e.name for e in events].count("close") == 1
    assert _image_events(events) == [("image:ready", image_id) for image_id in ids]


def test_both_transports_give_the_same_events(apertur_local: LocalApertur) -> None:
    pytest.importorskip("socketio")
    with Apertur(apertur_local.api_key, base_url=apertur_local.url) as client:
        project = apertur_local.project_id
        bucket = client.destinations.create(project, type="s3", name="B", config={"bucket": "b"})
        uuid = client.sessions.create(destination_ids=[bucket.id]).uuid
        sse = client.events.subscribe(uuid)
        sio = client.events.subscribe(uuid, transport="socketio")
        with sse, sio:
            ids = [
                client.upload.image(uuid, jpeg_bytes(), filename=f"{n}.jpg").id for n in range(2)
            ]
            got = {}
            for name, sub in (("sse", sse), ("socketio", sio)):
                events: list[Event] = []
                while sum(e.name == "image:delivered" for e in events) < len(ids):
                    event = sub.next_event(WAIT)
                    assert event is not None, (name, events)
                    events.append(event)
                got[name] = [(e.name, e.raw) for e in events if e.data is not None]
    assert got["sse"] == got["socketio"]
    assert [name for name, _ in got["sse"]].count("image:delivering") == len(ids)


def test_close_interrupts_a_blocked_read(apertur_local: LocalApertur) -> None:
    with Apertur(apertur_local.api_key, base_url=apertur_local.url) as client:
        uuid = client.sessions.create().uuid
        # connect_timeout bounds close()'s wait for the reader: far below the 15 s heartbeat,
        # so the reader is gone only if close() woke it.
        sub = client.events.subscribe(uuid, connect_timeout=5)
        assert _next_named(sub, "connected")
        sub.close()
        assert not sub._thread.is_alive()  # type: ignore[union-attr]
        assert [e.name for e in sub] == ["close"]


def test_unknown_session_and_bad_key_are_typed_errors(apertur_local: LocalApertur) -> None:
    with Apertur(apertur_local.api_key, base_url=apertur_local.url) as client:
        with pytest.raises(NotFoundError):
            client.events.subscribe("no-such-session")
        uuid = client.sessions.create().uuid
    with Apertur("aptr_test_not_a_key", base_url=apertur_local.url) as stranger:
        with pytest.raises(AuthenticationError):
            stranger.events.subscribe(uuid)

    async def main() -> None:
        async with AsyncApertur(apertur_local.api_key, base_url=apertur_local.url) as client:
            with pytest.raises(NotFoundError):
                await client.events.subscribe("no-such-session")

    asyncio.run(main())
