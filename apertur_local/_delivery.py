"""The delivery engine: reacts to state events by delivering images, events and realtime pushes.

Started in the app's lifespan, it subscribes to the state's event bus. For each stored image it

* logs ``image:ready`` in the real-time event log and publishes the ``image.uploaded`` event;
* delivers to every destination row: ``webhook`` destinations get a real signed POST in their
  ``config.format`` (retried after ``LocalConfig.delivery_retry_intervals``), every other type is
  **simulated**: it becomes ``sent`` after ``simulated_delivery_delay`` with a note saying nothing
  was sent;
* reports each transition in delivery status, as ``image:delivering``/``image:delivered``/
  ``image:failed`` in the event log and as the ``image.delivered``/``image.failed`` events.

A completed session logs ``session:completed`` and publishes ``session.completed``. The event log
feeds both real-time transports (Socket.IO and Server-Sent Events), in one order.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, cast

from ._delivery_events import EventDispatcher
from ._isotime import format_iso
from ._models import DestDelivery, Destination, Image, Session
from ._outbound import (
    AttemptResult,
    DeliveryFormat,
    ImageDeliveryMeta,
    OutboundSender,
    image_delivery_request,
)
from ._state import AperturState
from ._store_base import ImageStored, SessionCompleted, StateEvent

__all__ = ["MAX_WEBHOOK_IMAGE_BYTES", "DeliveryEngine"]

_log = logging.getLogger("apertur_local.delivery")

MAX_WEBHOOK_IMAGE_BYTES = 256 * 1024 * 1024
"""Images above this size are not POSTed to webhook destinations (the body is built in memory)."""

# A 1x1 transparent PNG, the image of a D5 test delivery.
_TEST_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class DeliveryEngine:
    """Background deliveries of one app (tasks are cancelled by :meth:`stop`)."""

    def __init__(
        self,
        state: AperturState,
        sender: OutboundSender | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._state = state
        self._sender = sender or OutboundSender(
            timeout=state.config.outbound_timeout,
            allow_external=state.config.allow_external_delivery,
        )
        self._sleep = sleep
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.events = EventDispatcher(state, self._sender, self.spawn, sleep)
        self.base_url = state.config.url

    def start(self) -> None:
        """Listen to state events; the deliveries run on the calling event loop."""
        if self._unsubscribe is None:
            self._loop = asyncio.get_running_loop()
            self._unsubscribe = self._state.events.subscribe(self._on_event)

    async def stop(self) -> None:
        """Stop listening, cancel running deliveries and close the HTTP client."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._loop = None
        await self.cancel_all()
        await self._sender.aclose()

    async def cancel_all(self) -> None:
        """Cancel every running delivery (used by reset)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def spawn(self, work: Awaitable[None]) -> None:
        """Run ``work`` in the background on the engine's loop, tracked for cancellation.

        A change made from another thread (a test driving the state directly, say) hands the
        work over to the loop; with the engine stopped, the work is dropped.
        """
        coroutine = cast(Coroutine[Any, Any, None], work)
        loop = self._loop
        if loop is None or loop.is_closed():
            coroutine.close()
        elif _running_loop() is loop:
            self._track(coroutine)
        else:
            try:
                loop.call_soon_threadsafe(self._track, coroutine)
            except RuntimeError:  # the loop closed meanwhile
                coroutine.close()

    def _track(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("delivery task failed", exc_info=task.exception())

    def _on_event(self, event: StateEvent) -> None:
        if isinstance(event, ImageStored):
            image, session = event.image, event.session
            self._emit(session.id, "image:ready", self._realtime_payload(image))
            self.events.publish(
                image.project_id, "image.uploaded", lambda: self.image_data(image, session)
            )
            for row in image.deliveries:
                self.spawn(self._deliver(image, session, row.destination_id))
        elif isinstance(event, SessionCompleted):
            session = event.session
            self._emit(
                session.id,
                "session:completed",
                {"sessionId": session.id, "imagesCount": len(session.image_ids)},
            )
            data = {
                "session_id": session.id,
                "images_count": len(session.image_ids),
                "tags": list(session.tags or []),
                "metadata": session.metadata or {},
            }
            self.events.publish(session.project_id, "session.completed", lambda: data)

    def image_data(self, image: Image, session: Session) -> dict[str, Any]:
        """The ``data`` of an image event (the ``EventData`` schema)."""
        return {
            "id": image.id,
            "filename": image.filename,
            "size_bytes": image.size_bytes,
            "mime_type": image.mime_type,
            "session_id": image.session_id,
            "download_url": f"{self.base_url}/api/v1/uploads/{image.id}/download",
            "tags": list(session.tags or []),
            "metadata": session.metadata or {},
            "created_at": format_iso(image.created_at),
        }

    @staticmethod
    def _realtime_payload(image: Image, row: DestDelivery | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "sessionId": image.session_id,
            "imageId": image.id,
            "filename": image.filename,
            "sizeBytes": image.size_bytes,
            "mimeType": image.mime_type,
        }
        if row is not None:
            payload.update(
                destinationId=row.destination_id, status=row.status, error=row.last_error
            )
        return payload

    def _emit(self, session_id: str, event: str, payload: dict[str, Any]) -> None:
        self._state.event_log.append(session_id, event, payload)

    def _set(self, image: Image, dest_id: str, status: str, **kw: Any) -> DestDelivery | None:
        return self._state.uploads.update_delivery(image.id, dest_id, status=status, **kw)

    async def _deliver(self, image: Image, session: Session, dest_id: str) -> None:
        dest = self._state.tables.destinations.get(dest_id)
        if dest is None:
            row = self._set(image, dest_id, "failed", last_error="destination was deleted")
        elif dest.type == "webhook":
            row = await self._deliver_webhook(image, session, dest)
        else:
            row = await self._simulate(image, dest)
        if row is None:
            return
        ok = row.status == "sent"
        self._emit(
            session.id,
            "image:delivered" if ok else "image:failed",
            self._realtime_payload(image, row),
        )
        data = self.image_data(image, session)
        data.update(destination_id=dest_id, status=row.status, error=row.last_error)
        self.events.publish(
            image.project_id, "image.delivered" if ok else "image.failed", lambda: data
        )

    async def _sending(self, image: Image, dest_id: str, attempts: int) -> DestDelivery | None:
        row = self._set(image, dest_id, "sending", attempts=attempts)
        if row is not None:
            self._emit(image.session_id, "image:delivering", self._realtime_payload(image, row))
        return row

    async def _simulate(self, image: Image, dest: Destination) -> DestDelivery | None:
        if await self._sending(image, dest.id, 1) is None:
            return None
        await self._sleep(self._state.config.simulated_delivery_delay)
        note = (
            f"simulated: {dest.type} destinations cannot be reached from apertur-local; "
            "nothing was sent"
        )
        _log.info("image %s to %s destination %s: %s", image.id, dest.type, dest.id, note)
        return self._set(image, dest.id, "sent", note=note)

    async def _deliver_webhook(
        self, image: Image, session: Session, dest: Destination
    ) -> DestDelivery | None:
        if image.size_bytes > MAX_WEBHOOK_IMAGE_BYTES:
            return self._set(
                image, dest.id, "failed", last_error="image too large for a local webhook delivery"
            )
        data = await asyncio.to_thread(self._state.uploads.blob_path(image).read_bytes)
        meta = ImageDeliveryMeta(
            session.id,
            image.id,
            image.index,
            image.mime_type,
            image.filename,
            image.size_bytes,
            list(session.tags or []),
        )
        config = dest.config
        fmt = cast(DeliveryFormat, config.get("format", "json_base64"))
        request = image_delivery_request(fmt, str(config["url"]), config.get("secret"), meta, data)
        intervals = self._state.config.delivery_retry_intervals
        row: DestDelivery | None = None
        for attempt in range(1, len(intervals) + 2):
            if await self._sending(image, dest.id, attempt) is None:
                return None
            result = await self._sender.send(request)
            last = attempt > len(intervals)
            status = "sent" if result.ok else ("failed" if last else "retrying")
            row = self._set(image, dest.id, status, last_error=result.error)
            if result.ok or last or row is None:
                return row
            await self._sleep(intervals[attempt - 1])
        return row

    async def test_destination(self, dest: Destination) -> dict[str, Any]:
        """D5: a real test POST for webhooks; other types answer a simulated success."""
        if dest.type != "webhook":
            return {
                "success": True,
                "message": f"simulated: {dest.type} destinations cannot be reached from "
                "apertur-local; nothing was sent",
            }
        meta = ImageDeliveryMeta(
            "test", "test", 0, "image/png", "test.png", len(_TEST_PNG), ["test"]
        )
        config = dest.config
        fmt = cast(DeliveryFormat, config.get("format", "json_base64"))
        request = image_delivery_request(
            fmt, str(config["url"]), config.get("secret"), meta, _TEST_PNG
        )
        result: AttemptResult = await self._sender.send(request)
        answer: dict[str, Any] = {"success": result.ok}
        if result.status_code is not None:
            answer["status"] = result.status_code
        if result.ok:
            answer["message"] = "Test delivery sent"
        else:
            answer["error"] = result.error or "delivery failed"
        return answer
