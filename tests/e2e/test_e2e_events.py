"""End to end: ``events.subscribe`` receives a session's real-time events (Socket.IO), sync
(iterator and callbacks) and async (``async for``)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from e2ehelpers import jpeg_bytes

from apertur_ext import Apertur, AsyncApertur
from apertur_ext._events.subscription import Event

pytest.importorskip("socketio")

WAIT = 20.0  # upper bound only: the events arrive within milliseconds


def _next_named(sub: Any, name: str) -> Event:
    while True:
        event = sub.next_event(timeout=WAIT)
        assert event is not None, f"no {name} event"
        if event.name == name:
            return event


def test_sync_subscription(apertur_local: Any) -> None:
    with Apertur(apertur_local.api_key, base_url=apertur_local.url) as client:
        uuid = client.sessions.create().uuid
        seen: list[str] = []
        # Default transports (websocket first). With transports=("polling",) the sync client's
        # close() can wait for the pending long-poll GET (~30 s): reported, not tested here.
        with client.events.subscribe(uuid, callbacks={"*": lambda e: seen.append(e.name)}) as sub:
            assert _next_named(sub, "connected").raw == {"sessionId": uuid}
            result = client.upload.image(uuid, jpeg_bytes(), filename="live.jpg")
            ready = _next_named(sub, "image:ready")
            assert ready.data is not None
            assert ready.data.image_id == result.id
        assert "connected" in seen
        assert "image:ready" in seen


def test_async_subscription(apertur_local: Any) -> None:
    async def main() -> None:
        async with AsyncApertur(apertur_local.api_key, base_url=apertur_local.url) as client:
            uuid = (await client.sessions.create()).uuid
            sub = await client.events.subscribe(uuid)
            async with sub:
                names = []
                with anyio.fail_after(WAIT):
                    async for event in sub:
                        names.append(event.name)
                        if event.name == "connected":
                            await client.upload.image(uuid, jpeg_bytes(), filename="a.jpg")
                        if event.name == "image:ready":
                            assert event.data is not None
                            break
            assert names[0] == "connected"

    anyio.run(main)
