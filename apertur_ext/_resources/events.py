"""``client.events``: real-time upload events of a session over Socket.IO (optional extra).

``python-socketio`` is imported only when a subscription is made; without it,
``EventsUnavailableError`` says which extra to install. The engine is in ``_events``; this
namespace (which no tag of the API describes) only points it at the client's base URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from apertur_api.types import AsyncResource, SyncResource

from .._events.subscription import Event, EventSubscription
from .._events.subscription_async import AsyncEventSubscription
from .access import AsyncCoreAccess, SyncCoreAccess, require_id

__all__ = ["AsyncEvents", "Events"]

Callbacks = Mapping[str, Callable[[Event], object]]


class Events(SyncCoreAccess, SyncResource):
    """Real-time events (``client.events``)."""

    def subscribe(
        self,
        uuid: str,
        *,
        callbacks: Callbacks | None = None,
        connect: bool = True,
        **options: Any,
    ) -> EventSubscription:
        """Subscribe to a session's ``image:*`` events.

        ``callbacks`` maps event names (``image:ready``, ``image:delivered``, ``connected``,
        ``error``, ``close`` or ``*``) to functions taking an :class:`Event`; they are
        registered before connecting, so none is missed. Iterate the subscription (``for event
        in sub``) for the same events. ``options``: ``transports``, ``reconnection``,
        ``connect_timeout``, ``max_buffer``, ... Use it as a context manager, or ``close()``.
        """
        sub = EventSubscription(self._core.config.base_url, require_id(uuid, "uuid"), **options)
        for name, callback in (callbacks or {}).items():
            sub.on(name, callback)
        return sub.connect() if connect else sub


class AsyncEvents(AsyncCoreAccess, AsyncResource):
    """Real-time events (``client.events``), async; callbacks may be coroutine functions."""

    async def subscribe(
        self,
        uuid: str,
        *,
        callbacks: Callbacks | None = None,
        connect: bool = True,
        **options: Any,
    ) -> AsyncEventSubscription:
        """Subscribe to a session's events (see :meth:`Events.subscribe`); iterate with
        ``async for``."""
        sub = AsyncEventSubscription(
            self._core.config.base_url, require_id(uuid, "uuid"), **options
        )
        for name, callback in (callbacks or {}).items():
            sub.on(name, callback)
        return await sub.connect() if connect else sub
