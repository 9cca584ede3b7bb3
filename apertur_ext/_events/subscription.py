"""Real-time upload events over Socket.IO, as callbacks and as an iterator; the async twin is
``subscription_async``.

The client connects to the API origin, engine path ``socket.io``, namespace ``/upload``
(websocket first, then long-polling), and reconnects on its own. On every (re)connection it
emits ``session:join`` with the session UUID and an ack callback: ``{ok: true}`` gives a local
``connected`` event (``raw={"sessionId": uuid}``), anything else a local ``error``. Server events
``image:ready|delivering|delivered|failed`` arrive as :class:`Event` with ``data`` parsed into
:class:`RealtimeImageEvent`; a payload of another shape keeps ``data=None`` (``raw`` still has
it, and a warning is logged), so nothing crashes. Every disconnection gives a local ``close``
event; the iterator ends when the subscription is closed or the client gives up reconnecting.

``python-socketio`` is an optional extra, imported only when a subscription is created. The
iterator's buffer is bounded (``max_buffer``); when full, the oldest event is dropped.
"""

from __future__ import annotations

import importlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from types import ModuleType, TracebackType
from typing import Any, Self, cast

import attrs

from apertur_api.models.realtime_image_event import RealtimeImageEvent
from apertur_api.models.session_join_ack import SessionJoinAck

from .._core.exceptions import AperturError, APIConnectionError, InvalidInputError
from .._webhooks.payloads import parse_realtime_event

__all__ = [
    "IMAGE_EVENTS",
    "Event",
    "EventSubscription",
    "EventsUnavailableError",
    "subscribe",
]

logger = logging.getLogger("apertur")
IMAGE_EVENTS = ("image:ready", "image:delivering", "image:delivered", "image:failed")
LOCAL_EVENTS = ("connected", "error", "close")
Callback = Callable[["Event"], object]
END = object()  # iterator sentinel


class EventsUnavailableError(AperturError, ImportError):
    """The optional real-time dependencies are not installed."""


@attrs.frozen
class Event:
    """One event: ``name`` (a server ``image:*`` event or a local one), ``data`` (the parsed
    image payload, else None) and ``raw`` (the payload as received, or the local event's dict)."""

    name: str
    data: RealtimeImageEvent | None = None
    raw: Any = None


def require_extra(*modules: str) -> ModuleType:
    """Import the optional dependencies; the first one is returned."""
    try:
        loaded = [importlib.import_module(name) for name in modules]
    except ImportError as exc:
        raise EventsUnavailableError(
            f"Real-time events need the optional extra ({exc.name or 'python-socketio'} is "
            'missing): pip install "apertur-client[events]"'
        ) from exc
    return loaded[0]


class SubscriptionBase:
    """What the sync and async subscriptions share: options, callbacks, event building."""

    def __init__(
        self,
        base_url: str,
        session_uuid: str,
        *,
        namespace: str = "/upload",
        socketio_path: str = "socket.io",
        transports: tuple[str, ...] = ("websocket", "polling"),
        reconnection: bool = True,
        reconnection_delay: float = 1.0,
        reconnection_delay_max: float = 5.0,
        connect_timeout: float = 10.0,
        max_buffer: int = 1000,
    ) -> None:
        if not isinstance(session_uuid, str) or not session_uuid:
            raise InvalidInputError("session_uuid must be a non-empty string")
        if max_buffer < 1:
            raise InvalidInputError("max_buffer must be >= 1")
        self.url, self.session_uuid = base_url.rstrip("/"), session_uuid
        self.namespace, self.socketio_path, self.transports = namespace, socketio_path, transports
        self.connect_timeout, self.max_buffer = connect_timeout, max_buffer
        self.client_options: dict[str, Any] = {
            "reconnection": reconnection,
            "reconnection_delay": reconnection_delay,
            "reconnection_delay_max": reconnection_delay_max,
            "randomization_factor": min(0.5, reconnection_delay / 2),
            "handle_sigint": False,  # a library must not take over Ctrl-C
        }
        self.callbacks: dict[str, list[Callback]] = {}
        self.started = self.closed = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}(session_uuid={self.session_uuid!r}, closed={self.closed})"

    def on(self, name: str, callback: Callback | None = None) -> Any:
        """Call ``callback(event)`` for every event named ``name`` (``"*"``: every event).
        Without ``callback``, returns a decorator."""
        if callback is None:
            return lambda fn: self.on(name, fn)
        self.callbacks.setdefault(name, []).append(callback)
        return callback

    def off(self, name: str, callback: Callback) -> None:
        """Remove a callback added with :meth:`on` (no error if absent)."""
        if callback in self.callbacks.get(name, []):
            self.callbacks[name].remove(callback)

    def _targets(self, event: Event) -> list[Callback]:
        return [*self.callbacks.get(event.name, []), *self.callbacks.get("*", [])]

    def _server_event(self, name: str, args: tuple[Any, ...]) -> Event:
        raw = args[0] if len(args) == 1 else list(args) if args else None
        data = parse_realtime_event(raw) if name in IMAGE_EVENTS else None
        if name in IMAGE_EVENTS and data is None:
            logger.warning("apertur events: %s payload of unexpected shape, kept raw", name)
        return Event(name, data, raw)

    def _join_event(self, args: tuple[Any, ...]) -> Event:
        raw = args[0] if args else None
        ack = None
        if isinstance(raw, dict) and isinstance(raw.get("ok"), bool):
            ack = SessionJoinAck.from_dict(raw)
        if ack is not None and ack.ok:
            return Event("connected", None, {"sessionId": self.session_uuid})
        reason = raw.get("error") if isinstance(raw, dict) else None
        message = reason if isinstance(reason, str) and reason else "session:join rejected"
        return Event("error", None, {"message": message})

    @staticmethod
    def _error(args: tuple[Any, ...]) -> Event:
        return Event("error", None, {"message": str(args[0]) if args else "connection error"})

    @staticmethod
    def _close(args: tuple[Any, ...]) -> Event:
        return Event("close", None, {"reason": str(args[0]) if args else "disconnected"})

    def _connect_kwargs(self) -> dict[str, Any]:
        return {
            "namespaces": [self.namespace],
            "socketio_path": self.socketio_path,
            "transports": list(self.transports),
            "wait_timeout": self.connect_timeout,
        }

    def _check_startable(self) -> None:
        if self.closed or self.started:
            raise InvalidInputError("this subscription was already connected or closed")
        self.started = True

    @staticmethod
    def _connect_failed(exc: Exception) -> APIConnectionError:
        return APIConnectionError(f"Could not connect to the real-time events endpoint: {exc}")

    def _join_failure(self, joined: bool, event: Event | None) -> AperturError | None:
        """Why the first join did not succeed (None when it did): events emitted before the
        join is acknowledged would be lost, so ``connect()`` returns only once joined."""
        if not joined:
            return APIConnectionError(
                f"session:join was not acknowledged within {self.connect_timeout:g} s"
            )
        if event is not None and event.name == "error":
            message = event.raw.get("message") if isinstance(event.raw, dict) else None
            return AperturError(
                f"session:join rejected: {message or 'unknown reason'}",
                code="SESSION_JOIN_REJECTED",
            )
        return None


class EventSubscription(SubscriptionBase):
    """Sync subscription (``socketio.Client``, background threads). Callbacks run on the
    client's thread; iterate with ``for event in sub`` or :meth:`next_event`."""

    def __init__(self, base_url: str, session_uuid: str, **options: Any) -> None:
        super().__init__(base_url, session_uuid, **options)
        socketio = require_extra("socketio", "requests", "websocket")
        self.buffer: queue.Queue[object] = queue.Queue()
        self._joined = threading.Event()
        self._join_result: Event | None = None
        self.sio = socketio.Client(**self.client_options)
        for name, handler in self._handlers().items():
            self.sio.on(name, handler, namespace=self.namespace)

    def _handlers(self) -> dict[str, Callable[..., None]]:
        return {
            "connect": self._on_connect,
            "connect_error": lambda *a: self._dispatch(self._error(a)),
            "disconnect": lambda *a: self._dispatch(self._close(a)),
            "__disconnect_final": self._end,
            "*": lambda name, *a: self._dispatch(self._server_event(name, a)),
        }

    def connect(self) -> Self:
        """Open the connection and join the session; returns ``self`` once the server has
        acknowledged the join, so no event after this call is missed. Raises
        :class:`APIConnectionError` when the server cannot be reached or does not acknowledge,
        and :class:`AperturError` when it rejects the join (e.g. an unknown session)."""
        self._check_startable()
        try:
            self.sio.connect(self.url, **self._connect_kwargs())
        except Exception as exc:
            raise self._connect_failed(exc) from exc
        failure = self._join_failure(self._joined.wait(self.connect_timeout), self._join_result)
        if failure is not None:
            self.close()
            raise failure
        return self

    def _on_connect(self) -> None:
        self.sio.emit(
            "session:join",
            self.session_uuid,
            namespace=self.namespace,
            callback=self._on_join_ack,
        )

    def _on_join_ack(self, *args: Any) -> None:
        event = self._join_event(args)
        if not self._joined.is_set():
            self._join_result = event
            self._joined.set()
        self._dispatch(event)

    def _dispatch(self, event: Event) -> None:
        for callback in self._targets(event):
            try:
                callback(event)
            except Exception:
                logger.exception("apertur events: callback for %s failed", event.name)
        self._put(event)

    def _put(self, item: object) -> None:
        while self.buffer.qsize() >= self.max_buffer:
            try:
                self.buffer.get_nowait()  # drop the oldest: memory stays bounded
            except queue.Empty:
                break
        self.buffer.put(item)

    def _end(self, *_: object) -> None:
        self._put(END)

    def next_event(self, timeout: float | None = None) -> Event | None:
        """The next event, or None at the end of the stream or after ``timeout`` seconds."""
        try:
            item = self.buffer.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is END:
            self.buffer.put(END)  # keep the end visible to later calls
            return None
        return cast(Event, item)

    def __iter__(self) -> Iterator[Event]:
        while (event := self.next_event()) is not None:
            yield event

    def close(self) -> None:
        """Disconnect, stop reconnecting and end the iterator. Idempotent."""
        if not self.closed:
            self.closed = True
            self.sio.shutdown()
            self._end()

    def __enter__(self) -> Self:
        return self if self.started else self.connect()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def subscribe(base_url: str, session_uuid: str, **options: Any) -> EventSubscription:
    """A connected :class:`EventSubscription` (options: see ``SubscriptionBase.__init__``)."""
    return EventSubscription(base_url, session_uuid, **options).connect()
