"""``client.events``: real-time events of a session, over Server-Sent Events or Socket.IO
(a namespace no tag of the API describes; the subscriptions are in ``_events``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from apertur_api.types import AsyncResource, SyncResource

from .._events.subscription import (
    AsyncEventSubscription,
    Event,
    EventSubscription,
    Transport,
    check_options,
)
from .access import AsyncCoreAccess, SyncCoreAccess, require_id

__all__ = ["AsyncEvents", "Events"]

Callbacks = Mapping[str, Callable[[Event], object]]


class Events(SyncCoreAccess, SyncResource):
    """Real-time events (``client.events``)."""

    def subscribe(
        self,
        uuid: str,
        *,
        transport: Transport = "sse",
        callbacks: Callbacks | None = None,
        connect: bool = True,
        **options: Any,
    ) -> EventSubscription:
        """Subscribe to a session's events (``connected``, ``image:ready``, ``image:delivering``,
        ``image:delivered``, ``image:failed``, ``session:completed``; local ``error``, ``close``).

        ``transport="sse"`` (the default) needs only the base install and resumes after a
        dropped connection with nothing lost or repeated (Server-Sent Events and
        ``Last-Event-ID``, over this client's HTTP connection, the key in a header);
        ``"socketio"``, the official Python SDK's transport, needs the ``events`` extra and cannot
        replay. ``callbacks`` (event name or ``"*"`` → function of an :class:`Event`) are set
        before connecting and run on a background thread; iterate for the same events.
        ``options``: ``last_event_id`` (SSE: resume after it), ``reconnection``,
        ``reconnection_delay[_max]``, ``connect_timeout``, ``read_timeout``, ``max_buffer``,
        ``transports`` (Socket.IO). Use it as a context manager, or ``close()``.
        """
        uuid = require_id(uuid, "uuid")
        check_options(options)
        sub = EventSubscription(self._core, uuid, transport, callbacks=callbacks, **options)
        return sub.connect() if connect else sub


class AsyncEvents(AsyncCoreAccess, AsyncResource):
    """Real-time events (``client.events``), async; callbacks may be coroutine functions."""

    async def subscribe(
        self,
        uuid: str,
        *,
        transport: Transport = "sse",
        callbacks: Callbacks | None = None,
        connect: bool = True,
        **options: Any,
    ) -> AsyncEventSubscription:
        """Subscribe to a session's events (see :meth:`Events.subscribe`); iterate with
        ``async for``."""
        uuid = require_id(uuid, "uuid")
        check_options(options)
        sub = AsyncEventSubscription(self._core, uuid, transport, callbacks=callbacks, **options)
        return await sub.connect() if connect else sub
