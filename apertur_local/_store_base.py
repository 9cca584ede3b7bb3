"""Shared pieces of the state stores: the tables, the change signal and domain events.

The stores (``_store_*.py``) each own the operations of one resource, and all share one
:class:`Tables` (the data), one :class:`ChangeSignal` (wakes held delivery-status requests) and
one :class:`EventBus` (tells the delivery engine what happened). Nothing here knows HTTP.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

import attrs

from ._config import Clock, LocalConfig
from ._models import (
    ApiKey,
    Destination,
    EventWebhook,
    Image,
    Project,
    Session,
    WebhookDelivery,
    from_json_dict,
    to_json_dict,
)

__all__ = [
    "ChangeSignal",
    "EventBus",
    "ImageStored",
    "SessionCompleted",
    "StateEvent",
    "StoreContext",
    "Tables",
    "hash_secret",
    "new_id",
    "page_slice",
]


def new_id(prefix: str) -> str:
    """A fresh opaque id such as ``img_3f2a...``."""
    return f"{prefix}_{secrets.token_hex(12)}"


def hash_secret(value: str) -> str:
    """SHA-256 hex of a key or password (plain values are never stored)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def page_slice(total: int, page: int, page_size: int) -> slice:
    """The slice of a newest-first list that a 1-based page covers."""
    start = (page - 1) * page_size
    return slice(start, start + page_size)


_TABLES: dict[str, type[Any]] = {
    "projects": Project,
    "keys": ApiKey,
    "sessions": Session,
    "images": Image,
    "destinations": Destination,
    "webhooks": EventWebhook,
    "deliveries": WebhookDelivery,
}


@attrs.define
class Tables:
    """Every stored record, by id (dicts keep insertion order = creation order)."""

    projects: dict[str, Project] = attrs.Factory(dict)
    keys: dict[str, ApiKey] = attrs.Factory(dict)
    sessions: dict[str, Session] = attrs.Factory(dict)
    images: dict[str, Image] = attrs.Factory(dict)
    destinations: dict[str, Destination] = attrs.Factory(dict)
    webhooks: dict[str, EventWebhook] = attrs.Factory(dict)
    deliveries: dict[str, WebhookDelivery] = attrs.Factory(dict)

    def clear(self) -> None:
        """Forget everything."""
        for name in _TABLES:
            getattr(self, name).clear()

    def dump(self) -> dict[str, Any]:
        """JSON-ready form of all tables."""
        return {
            name: [to_json_dict(record) for record in getattr(self, name).values()]
            for name in _TABLES
        }

    def load(self, data: dict[str, Any]) -> None:
        """Replace the tables with :meth:`dump` output (malformed rows are skipped)."""
        self.clear()
        for name, cls in _TABLES.items():
            table: dict[str, Any] = getattr(self, name)
            for row in data.get(name) or []:
                try:
                    record = from_json_dict(cls, row)
                except (TypeError, ValueError):
                    continue
                table[record.id] = record


class ChangeSignal:
    """Per-session "something changed" signal that async waiters can block on."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}
        self.closed = False

    def close(self) -> None:
        """Release every waiter for good (server shutdown)."""
        self.closed = True
        self.wake_all()

    def notify(self, session_id: str) -> None:
        """Wake everyone waiting on ``session_id``."""
        event = self._events.pop(session_id, None)
        if event is not None:
            event.set()

    def wake_all(self) -> None:
        """Wake every waiter (used on reset and shutdown)."""
        events, self._events = self._events, {}
        for event in events.values():
            event.set()

    async def wait(self, session_id: str, timeout: float) -> bool:  # noqa: ASYNC109
        """Block until the next :meth:`notify` of ``session_id`` or ``timeout``; True if woken."""
        if self.closed:
            return True
        event = self._events.setdefault(session_id, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), timeout=max(timeout, 0.0))
        except TimeoutError:
            return False
        return True


@attrs.frozen
class ImageStored:
    """An image was stored in ``session`` (deliveries are pending)."""

    image: Image
    session: Session


@attrs.frozen
class SessionCompleted:
    """``session`` reached its ``max_images``."""

    session: Session


StateEvent = ImageStored | SessionCompleted
Listener = Callable[[StateEvent], None]


class EventBus:
    """Synchronous fan-out of :data:`StateEvent` to listeners (the delivery engine)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Register ``listener``; return a function that removes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def publish(self, event: StateEvent) -> None:
        """Call every listener with ``event``."""
        for listener in list(self._listeners):
            listener(event)


@attrs.define
class StoreContext:
    """What every store shares: config, clock, tables, signals and the persistence hook."""

    config: LocalConfig
    clock: Clock
    tables: Tables
    changes: ChangeSignal
    events: EventBus
    persist: Callable[[], None]

    def now(self) -> float:
        """Current time from the injected clock."""
        return self.clock.now()

    def touch_session(self, session: Session) -> None:
        """Record a change of ``session`` (strictly increasing ``last_changed``) and wake waiters."""
        now_ms = max(round(self.now() * 1000), round(session.last_changed * 1000) + 1)
        session.last_changed = now_ms / 1000
        self.changes.notify(session.id)
