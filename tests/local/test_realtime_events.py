"""Socket.IO events of a running local server: uploads and deliveries emit image:* to the session."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import socketio
from localhelpers import Receiver, client_for, create_session, make_png

from apertur_local import LocalApertur

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalApertur]:
    with LocalApertur(delivery_retry_intervals=(0.01,), simulated_delivery_delay=0.01) as srv:
        yield srv


async def test_upload_and_delivery_events(server: LocalApertur) -> None:
    receiver = Receiver()
    try:
        with client_for(server) as api:
            dest = api.post(
                f"/api/v1/projects/{server.project_id}/destinations",
                json={"type": "webhook", "name": "hook", "config": {"url": receiver.url}},
            ).json()
            sid = create_session(api, destination_ids=[dest["id"]])
        events: list[tuple[str, dict[str, Any]]] = []
        finished = asyncio.Event()
        client = socketio.AsyncClient(reconnection=False)

        def recorder(name: str) -> Any:
            async def handler(payload: dict[str, Any]) -> None:
                events.append((name, payload))
                if name in ("image:delivered", "image:failed"):
                    finished.set()

            return handler

        for name in ("image:ready", "image:delivering", "image:delivered", "image:failed"):
            client.on(name, recorder(name), namespace="/upload")
        await client.connect(
            server.url, namespaces=["/upload"], transports=["websocket"], wait_timeout=5
        )
        try:
            assert await client.call("session:join", "nope", namespace="/upload", timeout=5) == {
                "ok": False,
                "error": "session not found",
            }
            assert await client.call("session:join", sid, namespace="/upload", timeout=5) == {
                "ok": True
            }
            async with httpx.AsyncClient(
                base_url=server.url,
                headers={"Authorization": f"Bearer {server.api_key}"},
                verify=False,
            ) as http:
                uploaded = await http.post(
                    f"/api/v1/upload/{sid}/images",
                    files={"file": ("p.png", make_png(), "image/png")},
                )
            assert uploaded.status_code == 201
            await asyncio.wait_for(finished.wait(), 15)
        finally:
            await client.disconnect()
    finally:
        receiver.close()
    names = [name for name, _ in events]
    assert names == ["image:ready", "image:delivering", "image:delivered"]
    ready, delivering, delivered = (payload for _, payload in events)
    image_id = uploaded.json()["id"]
    assert ready == {
        "sessionId": sid,
        "imageId": image_id,
        "filename": "p.png",
        "sizeBytes": len(make_png()),
        "mimeType": "image/png",
    }
    assert delivering["destinationId"] == dest["id"]
    assert delivering["status"] == "sending"
    assert delivered["status"] == "sent"
    assert delivered["error"] is None
