"""Shared pieces of the state stores: the tables, changes, the change signal and domain events.

The stores (``_store_*.py``) each own the operations of one resource, and all share one
:class:`Tables` (the data, in memory), one :class:`ChangeSignal` (wakes held delivery-status
requests) and one :class:`EventBus` (tells the delivery engine what happened). Nothing here knows
HTTP.

Every API change goes through one :class:`Change` (``with ctx.change() as change:``): the store
validates, stages the records as they will be (:meth:`Change.insert`, :meth:`Change.update`,
:meth:`Change.delete`) and the follow-ups (:meth:`Change.after`: wake-ups, events). On leaving the
block the rows are written to the database in one transaction, and only once that committed are
the in-memory records changed and the follow-ups run. An exception anywhere before the commit
(validation, serialisation, the disk) leaves memory and disk exactly as they were.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import attrs

from ._config import Clock, LocalConfig
from ._database import Database, StateStoreError, StoreWriteError
from ._errors import ApiError
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
    "RECORD_TYPES",
    "Change",
    "ChangeSignal",
    "EventBus",
    "ImageStored",
    "SessionCompleted",
    "StateEvent",
    "StoreContext",
    "Tables",
    "hash_secret",
    "new_id",
]

_log = logging.getLogger("apertur_local.state")

_R = TypeVar("_R")


def new_id(prefix: str) -> str:
    """A fresh opaque id such as ``img_3f2a...``."""
    return f"{prefix}_{secrets.token_hex(12)}"


def hash_secret(value: str) -> str:
    """SHA-256 hex of a key or password (plain values are never stored)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


RECORD_TYPES: dict[str, type[Any]] = {  # one per table of ``_database.TABLES``, same order
    "projects": Project,
    "keys": ApiKey,
    "sessions": Session,
    "images": Image,
    "destinations": Destination,
    "webhooks": EventWebhook,
    "deliveries": WebhookDelivery,
}

_TABLE_OF: dict[type[Any], str] = {cls: name for name, cls in RECORD_TYPES.items()}


def table_of(record: Any) -> str:
    """The table that stores ``record``."""
    return _TABLE_OF[type(record)]


def encode_record(record: Any) -> str:
    """The database row text of ``record`` (compact JSON, ASCII only)."""
    return json.dumps(to_json_dict(record), separators=(",", ":"), allow_nan=False)


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
        for name in RECORD_TYPES:
            getattr(self, name).clear()

    def load(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Replace the tables with decoded database rows (:class:`StateStoreError` when a row is
        not a record); each session's ``image_ids`` is rebuilt from its images."""
        self.clear()
        for name, cls in RECORD_TYPES.items():
            table: dict[str, Any] = getattr(self, name)
            for row in rows.get(name) or []:
                try:
                    record = from_json_dict(cls, row)
                except (TypeError, ValueError) as exc:
                    raise StateStoreError(
                        f"a stored {name} row ({str(row.get('id'))[:80]!r}) is not a valid "
                        f"record ({exc}); restore the data directory from a backup"
                    ) from exc
                table[record.id] = record
        for image in self.images.values():
            session = self.sessions.get(image.session_id)
            if session is not None:
                session.image_ids.append(image.id)


class Change:
    """The records one API change stores, and what it does in memory once they are stored.

    Staged records are never the live ones: :meth:`update` stages a copy (``attrs.evolve``) and
    remembers the values, which are assigned to the live record (keeping its identity) only after
    the commit. Assign new lists rather than mutating the live ones.
    """

    def __init__(self, tables: Tables) -> None:
        self._tables = tables
        self._writes: dict[tuple[str, str], Any] = {}
        self._deletes: dict[tuple[str, str], None] = {}
        self._assign: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._after: list[Callable[[], None]] = []
        self._inserted: set[tuple[str, str]] = set()
        self.clear_all = False

    def current(self, record: _R) -> _R:
        """``record`` as this change will leave it (the staged copy, if any)."""
        staged: _R = self._writes.get((table_of(record), record.id), record)  # type: ignore[attr-defined]
        return staged

    def insert(self, record: Any) -> None:
        """Store a new record (added to its table after the commit)."""
        table = table_of(record)
        self._deletes.pop((table, record.id), None)
        self._writes[(table, record.id)] = record
        self._inserted.add((table, record.id))
        rows: dict[str, Any] = getattr(self._tables, table)
        self._after.append(lambda: rows.__setitem__(record.id, record))

    def update(self, record: _R, **values: Any) -> _R:
        """Store ``record`` with ``values`` changed; returns the staged copy.

        404 when ``record`` is no longer stored (deleted or reset while the request was being
        handled): it is never written back.
        """
        table = table_of(record)
        key = (table, record.id)  # type: ignore[attr-defined]
        stored = getattr(self._tables, table).get(key[1]) is record
        if not stored and key not in self._inserted:
            raise ApiError(404, "The record was deleted while this request was handled")
        candidate: _R = attrs.evolve(cast(Any, self.current(record)), **values)
        self._writes[key] = candidate
        _, pending = self._assign.setdefault(id(record), (record, {}))
        pending.update(values)
        return candidate

    def delete(self, record: Any) -> None:
        """Remove a stored record (from its table after the commit)."""
        table = table_of(record)
        self._writes.pop((table, record.id), None)
        self._deletes[(table, record.id)] = None
        rows: dict[str, Any] = getattr(self._tables, table)
        self._after.append(lambda: rows.pop(record.id, None))

    def after(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the change is stored (in the order given)."""
        self._after.append(action)

    def rows(self) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
        """The rows to write and to delete (serialised now: a record that cannot be stored
        raises here, before anything is written)."""
        puts = [
            (table, row_id, encode_record(rec)) for (table, row_id), rec in self._writes.items()
        ]
        return puts, list(self._deletes)

    def apply(self) -> None:
        """Bring memory in line with what was stored, then run the follow-ups."""
        for record, values in self._assign.values():
            for name, value in values.items():
                setattr(record, name, value)
        for action in self._after:
            action()


class ChangeSignal:
    """Per-session "something changed" signal that async waiters can block on (through
    :meth:`listen`)."""

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

    def listen(self, session_id: str) -> asyncio.Event:
        """The event the next :meth:`notify` of ``session_id`` sets, registered now: a change
        made before the caller gets to await it is not missed (set already once closed)."""
        if self.closed:
            event = asyncio.Event()
            event.set()
            return event
        return self._events.setdefault(session_id, asyncio.Event())


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
        """Call every listener with ``event``.

        A failing listener is logged, never raised: the change that published the event is
        already stored and must still be answered as such.
        """
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                _log.exception("a listener failed on %s", type(event).__name__)


@attrs.define
class StoreContext:
    """What every store shares: config, clock, tables, signals and the database."""

    config: LocalConfig
    clock: Clock
    tables: Tables
    changes: ChangeSignal
    events: EventBus
    db: Database

    def now(self) -> float:
        """Current time from the injected clock."""
        return self.clock.now()

    def begin(self) -> Change:
        """A new, empty change (store it with :meth:`store`)."""
        return Change(self.tables)

    @contextmanager
    def change(self) -> Iterator[Change]:
        """Stage one API change in the block; store it on leaving (see the module docstring).

        A change the database refuses raises a 503 :class:`~apertur_local._errors.ApiError`
        (``STORAGE_ERROR``) and changes nothing.
        """
        change = self.begin()
        yield change
        self.store(change)

    def store(self, change: Change) -> None:
        """Write ``change`` in one transaction, then apply it in memory."""
        puts, deletes = change.rows()
        try:
            self.db.write(puts, deletes, clear=change.clear_all)
        except StoreWriteError as exc:
            _log.error("a change could not be stored, nothing was changed: %s", exc)
            raise ApiError(
                503,
                "apertur-local could not store this change (its data directory refused the "
                "write); nothing was changed",
                "STORAGE_ERROR",
            ) from exc
        change.apply()

    def touch_session(self, change: Change, session: Session) -> None:
        """Stage a new ``last_changed`` of ``session`` (strictly increasing) and, once stored,
        wake its waiters."""
        previous = change.current(session).last_changed
        now_ms = max(round(self.now() * 1000), round(previous * 1000) + 1)
        change.update(session, last_changed=now_ms / 1000)
        change.after(lambda: self.changes.notify(session.id))
