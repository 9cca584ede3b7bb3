"""Server-Sent Events of a running local server over loopback (uvicorn, real sockets).

Both transports see the same events in the same order; a stream cut by fault injection resumes
from ``Last-Event-ID`` with nothing lost or repeated; stopping the server ends streams cleanly.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import socketio
from localhelpers import client_for, create_session, make_png

from apertur_local import LocalApertur

pytestmark = pytest.mark.anyio

FINAL = ("image:delivered", "image:failed")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalApertur]:
    with LocalApertur(simulated_delivery_delay=0.01) as srv:
        yield srv


def s3_session(server: LocalApertur, **options: Any) -> str:
    """A session delivering to a (simulated) s3 destination."""
    with client_for(server) as api:
        dest = api.post(
            f"/api/v1/projects/{server.project_id}/destinations",
            json={"type": "s3", "name": "archive", "config": {"bucket": "b"}},
        ).json()
        return create_session(api, destination_ids=[dest["id"]], **options)


async def upload_png(server: LocalApertur, session_id: str) -> str:
    async with httpx.AsyncClient(
        base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}
    ) as http:
        answer = await http.post(
            f"/api/v1/upload/{session_id}/images",
            files={"file": ("p.png", make_png(), "image/png")},
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def sse_events(response: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    """Events of an SSE response: ``{id, event, data}`` per block, ``{"comment"}`` per comment."""
    block: dict[str, Any] = {}
    async for line in response.aiter_lines():
        if line == "":
            if block:
                yield block
            block = {}
        elif line.startswith(":"):
            yield {"comment": line[1:].strip()}
        else:
            name, _, value = line.partition(": ")
            block[name] = json.loads(value) if name == "data" else value


async def test_sse_and_socketio_see_the_same_events_in_the_same_order(
    server: LocalApertur,
) -> None:
    sid = s3_session(server, max_images=1)
    over_socketio: list[tuple[str, Any]] = []
    socketio_done = asyncio.Event()
    sio = socketio.AsyncClient(reconnection=False)

    @sio.on("*", namespace="/upload")  # type: ignore[misc]
    async def record(name: str, payload: Any) -> None:
        over_socketio.append((name, payload))
        if name in FINAL:
            socketio_done.set()

    await sio.connect(server.url, namespaces=["/upload"], transports=["websocket"], wait_timeout=5)
    try:
        assert await sio.call("session:join", sid, namespace="/upload", timeout=5) == {"ok": True}
        over_sse: list[tuple[str, Any]] = []
        async with (
            httpx.AsyncClient(timeout=30) as http,
            http.stream("GET", f"{server.url}/api/v1/upload/{sid}/events") as response,
        ):
            assert response.status_code == 200
            assert response.headers["content-type"] == "text/event-stream"
            events = sse_events(response)
            connected = await anext(events)
            assert connected["event"] == "connected"
            assert connected["data"] == {"sessionId": sid}
            image_id = await upload_png(server, sid)
            async for event in events:
                if "event" in event:
                    over_sse.append((event["event"], event["data"]))
                    if event["event"] in FINAL:
                        break
        await asyncio.wait_for(socketio_done.wait(), 15)
    finally:
        await sio.disconnect()
    names = [name for name, _ in over_sse]
    assert names == ["image:ready", "session:completed", "image:delivering", "image:delivered"]
    assert over_sse == over_socketio
    assert over_sse[0][1]["imageId"] == image_id
    assert over_sse[1][1] == {"sessionId": sid, "imagesCount": 1}


async def test_a_dropped_stream_resumes_from_last_event_id_with_nothing_lost_or_repeated(
    server: LocalApertur,
) -> None:
    sid = s3_session(server)
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        added = await http.post(
            "/_local/faults",
            json={
                "path": f"^/api/v1/upload/{sid}/events$",
                "action": "drop_stream",
                "after_events": 2,
            },
        )
        assert added.status_code == 201
        # A second stream on the other path sees everything: the reference.
        reference: list[dict[str, Any]] = []
        reference_done = asyncio.Event()

        async def follow_reference(ready: asyncio.Event) -> None:
            path = f"/api/v1/sessions/{sid}/events?token={server.api_key}"
            async with http.stream("GET", path) as response:
                async for event in sse_events(response):
                    if event.get("event") == "connected":
                        ready.set()
                    elif "event" in event:
                        reference.append(event)
                        if event["event"] in FINAL:
                            reference_done.set()
                            return

        ready = asyncio.Event()
        reference_task = asyncio.create_task(follow_reference(ready))
        await asyncio.wait_for(ready.wait(), 15)

        received: list[dict[str, Any]] = []

        async def read_until_cut() -> None:
            async with http.stream("GET", f"/api/v1/upload/{sid}/events") as response:
                events = sse_events(response)
                received.append(await anext(events))  # connected
                await upload_png(server, sid)
                async for event in events:
                    if "event" in event:
                        received.append(event)

        with pytest.raises(httpx.RemoteProtocolError):
            await read_until_cut()
        assert [e["event"] for e in received] == ["connected", "image:ready"]
        await asyncio.wait_for(reference_done.wait(), 15)  # the rest happened while cut off
        await reference_task

        resumed: list[dict[str, Any]] = []
        headers = {"Last-Event-ID": received[-1]["id"]}
        async with http.stream("GET", f"/api/v1/upload/{sid}/events", headers=headers) as again:
            async for event in sse_events(again):
                if "event" in event:
                    resumed.append(event)
                    if event["event"] in FINAL:
                        break
    assert resumed[0] == {
        "id": received[-1]["id"],
        "event": "connected",
        "data": {"sessionId": sid},
    }
    assert received[1:] + resumed[1:] == reference


def test_stopping_the_server_ends_open_streams_cleanly() -> None:
    with LocalApertur() as server, client_for(server) as api:
        sid = create_session(api)
        with httpx.stream(
            "GET", f"{server.url}/api/v1/upload/{sid}/events", timeout=30
        ) as response:
            lines = response.iter_lines()
            assert next(lines).startswith("id: ")
            server.stop()  # the stream is ended by the server, not cut by uvicorn's grace period
            rest = list(lines)  # raises RemoteProtocolError if the final chunk never came
    assert rest[:2] == ["event: connected", f'data: {{"sessionId":"{sid}"}}']
