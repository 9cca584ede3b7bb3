"""Real-time events of a session, over Server-Sent Events or Socket.IO, as callbacks and as an
iterator; sync and async (the base class holds what both share, the twins only their I/O).

SSE reopens a dropped stream with backoff and ``Last-Event-ID``, so the server replays what was
missed; a read waits ``read_timeout`` (45 s: three of the server's 15 s heartbeats). Socket.IO
joins the session on every (re)connection but cannot replay. ``error`` (a failed connection)
and ``close`` (a disconnection) are local events.

Events are dispatched one at a time, in the order they arrived: all the callbacks of an event run
(those for its name, then the ``"*"`` ones) and it is queued for the iterator before the next
event's first callback. python-socketio handles each message on a thread or task of its own, so
its messages are handed, in order, to one dispatcher per subscription instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import inspect
import json
import logging
import queue
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, Self

import attrs
import httpx

from apertur_api.api.sessions import stream_session_events as _stream_op
from apertur_api.models.realtime_image_event import RealtimeImageEvent
from apertur_api.types import UNSET

from .._core.config import MAX_TIMEOUT, is_int, is_number
from .._core.exceptions import (
    AperturError,
    APIConnectionError,
    APIStatusError,
    InvalidInputError,
    InvalidResponseError,
)
from .._core.failures import mapped_errors
from .._core.response import check_status, is_success
from .._core.retry import RetryPolicy, is_retryable_status
from .._webhooks.payloads import parse_realtime_event
from .stream import EventStreamDecoder

if TYPE_CHECKING:
    from .._core.request import AsyncCore, SyncCore

__all__ = [
    "IMAGE_EVENTS",
    "AsyncEventSubscription",
    "Event",
    "EventSubscription",
    "EventsUnavailableError",
    "Transport",
    "check_options",
]

logger = logging.getLogger("apertur")
NAMESPACE = "/upload"  # the Socket.IO namespace of upload sessions
IMAGE_EVENTS = ("image:ready", "image:delivering", "image:delivered", "image:failed")
Transport = Literal["sse", "socketio"]
Callback = Callable[["Event"], object]
Wrap = Callable[[Callable[..., "Event"]], Callable[..., Any]]
Job = Callable[[], object]  # work for the dispatcher (an awaitable result is awaited)


class EventsUnavailableError(AperturError, ImportError):
    """The optional real-time dependencies are not installed."""


@attrs.frozen
class Event:
    """One event: ``name``; ``data``, an ``image:*`` payload parsed into
    :class:`RealtimeImageEvent` (None for other events, or a payload of another shape, which is
    logged); ``raw``, the payload as received (``{"message"}`` for ``error``, ``{"reason"}`` for
    ``close``); ``id``, the server's event id (SSE only)."""

    name: str
    data: RealtimeImageEvent | None = None
    raw: Any = None
    id: str | None = None


def check_options(options: Mapping[str, object]) -> None:
    """Refuse an option :class:`SubscriptionBase` does not take (say, a misspelt one)."""
    if unknown := sorted(options.keys() - OPTIONS):
        known = ", ".join(sorted(OPTIONS))
        raise InvalidInputError(f"unknown option {', '.join(unknown)}; the options are: {known}")


def _local(name: Literal["error", "close"], *args: Any) -> Event:
    """A local ``error`` or ``close`` event; ``args[0]`` is the message or reason."""
    key, default = ("message", "connection error") if name == "error" else ("reason", "closed")
    return Event(name, None, {key: str(args[0]) if args else default})


class SubscriptionBase:
    """What the twins share: options, callbacks, the events made of what arrives, the SSE
    request and the reconnection rule."""

    _joined: Any  # a threading.Event, or an asyncio.Event in the async twin
    sio: Any = None  # the Socket.IO client, for that transport
    _end: Callable[..., None]  # ends the iterator (each twin wakes its readers its own way)

    def __init__(
        self,
        core: SyncCore | AsyncCore,
        session_uuid: str,
        transport: Transport = "sse",
        *,
        callbacks: Mapping[str, Callback] | None = None,
        last_event_id: str | None = None,
        reconnection: bool = True,
        reconnection_delay: float = 1.0,
        reconnection_delay_max: float = 5.0,
        connect_timeout: float = 10.0,
        read_timeout: float = 45.0,
        max_buffer: int = 1000,
        transports: tuple[str, ...] = ("websocket", "polling"),
    ) -> None:
        delays = (connect_timeout, read_timeout, reconnection_delay, reconnection_delay_max)
        if transport not in ("sse", "socketio"):
            raise InvalidInputError(f'transport must be "sse" or "socketio", not {transport!r}')
        seconds = all(is_number(d) and 0 < d <= MAX_TIMEOUT for d in delays)
        if not (seconds and is_int(max_buffer) and max_buffer >= 1):
            raise InvalidInputError(
                "max_buffer must be an integer >= 1, and the timeouts and the delays numbers of"
                f" seconds > 0 (at most {MAX_TIMEOUT:g})"
            )
        self._core, self.session_uuid, self.transport = core, session_uuid, transport
        self.last_event_id, self.reconnection, self._retries = last_event_id, reconnection, 0
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self._policy = RetryPolicy(
            initial_delay=reconnection_delay, max_delay=reconnection_delay_max
        )
        self.url, self._transports = core.config.base_url.rstrip("/"), list(transports)
        self.buffer: deque[Event] = deque(maxlen=max_buffer)  # full: the oldest is dropped
        self.callbacks: dict[str, list[Callback]] = {}
        if callbacks is not None and not isinstance(callbacks, Mapping):
            raise InvalidInputError("callbacks must map event names to functions")
        for name, callback in (callbacks or {}).items():
            self.on(name, callback)
        self.started = self.closed = self.is_open = self.ended = False
        self.failure: AperturError | None = None  # why the first connection failed

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(session_uuid={self.session_uuid!r}, "
            f"transport={self.transport!r}, closed={self.closed})"
        )

    def on(self, name: str, callback: Callback | None = None) -> Any:
        """Call ``callback(event)`` for every event named ``name`` (``"*"``: every event).
        Without ``callback``, returns a decorator."""
        if callback is None:
            return lambda fn: self.on(name, fn)
        if not isinstance(name, str) or not callable(callback):
            raise InvalidInputError("on(name, callback): an event name and a function of an Event")
        self.callbacks.setdefault(name, []).append(callback)
        return callback

    def off(self, name: str, callback: Callback) -> None:
        """Remove a callback added with :meth:`on` (no error if absent)."""
        if callback in self.callbacks.get(name, []):
            self.callbacks[name].remove(callback)

    def _targets(self, event: Event) -> list[Callback]:
        return [*self.callbacks.get(event.name, []), *self.callbacks.get("*", [])]

    def _has_next(self) -> bool:
        return bool(self.buffer) or self.ended

    def _event(self, name: str, raw: Any, event_id: str | None = None) -> Event:
        data = parse_realtime_event(raw) if name in IMAGE_EVENTS else None
        if name in IMAGE_EVENTS and data is None:
            logger.warning("apertur events: %s payload of unexpected shape, kept raw", name)
        return Event(name, data, raw, event_id)

    # --- Socket.IO ------------------------------------------------------------------------------

    def _socketio(
        self, client: str, needs: tuple[str, ...], wrap: Wrap, post: Callable[[Job], None]
    ) -> Any:
        """A ``socketio.<client>`` (``needs``: the modules it requires) whose messages go to
        ``post`` in arrival order, and whose handlers, made by ``wrap`` from functions that return
        an event, dispatch what arrives (``close`` and the end come after the events before them)."""
        try:
            socketio, *_ = (importlib.import_module(name) for name in ("socketio", *needs))
        except ImportError as exc:
            raise EventsUnavailableError(
                f"Socket.IO events need the optional extra ({exc.name or 'python-socketio'} is "
                'missing): pip install "apertur-client[events]", or use transport="sse"'
            ) from exc
        delay = self._policy.initial_delay
        sio = _in_arrival_order(socketio, client, post)(
            reconnection=self.reconnection,
            reconnection_delay=delay,
            reconnection_delay_max=self._policy.max_delay,
            randomization_factor=min(0.5, delay / 2),
            handle_sigint=False,  # a library must not take over Ctrl-C
        )
        makers: dict[str, Callable[..., Event]] = {
            "connect_error": lambda *a: _local("error", *a),
            "*": lambda name, *a: self._event(name, a[0] if len(a) == 1 else list(a) or None),
        }
        for name, make in makers.items():
            sio.on(name, wrap(make), namespace=NAMESPACE)
        # Also run on the thread (or task) that saw the connection drop: queued after the events.
        close = wrap(lambda *a: _local("close", *a))
        sio.on("disconnect", lambda *a: post(lambda: close(*a)), namespace=NAMESPACE)
        sio.on("__disconnect_final", lambda *a: post(self._end), namespace=NAMESPACE)
        return sio

    def _join(self, wrap: Wrap) -> Any:
        """Join the session (on every connection); the acknowledgement is dispatched."""
        ack = wrap(self._join_event)
        return self.sio.emit("session:join", self.session_uuid, namespace=NAMESPACE, callback=ack)

    def _join_event(self, *args: Any) -> Event:
        """The local event of a ``session:join`` acknowledgement (``{ok, error?}``)."""
        ack = args[0] if args and isinstance(args[0], dict) else {}
        if ack.get("ok") is True:
            self._joined.set()
            return Event("connected", None, {"sessionId": self.session_uuid})
        reason = ack.get("error")
        message = reason if isinstance(reason, str) and reason else "session:join rejected"
        if not self._joined.is_set():
            self.failure = AperturError(
                f"session:join rejected: {message}", code="SESSION_JOIN_REJECTED"
            )
            self._joined.set()
        return Event("error", None, {"message": message})

    @contextlib.contextmanager
    def _connecting(self) -> Iterator[dict[str, Any]]:
        """The Socket.IO connection options; a failure to connect is an APIConnectionError."""
        options = {"namespaces": [NAMESPACE], "transports": self._transports}
        try:
            yield {**options, "wait_timeout": self.connect_timeout}
        except Exception as exc:
            message = f"Could not connect to the real-time events endpoint: {exc}"
            raise APIConnectionError(message) from exc

    # --- Server-Sent Events ---------------------------------------------------------------------

    def _stream_request(self) -> httpx.Request:
        """The SSE request, resuming after ``last_event_id``. The transport's retries are off:
        the subscription reopens the stream itself."""
        core, resume = self._core, self.last_event_id or UNSET
        call = core.call(
            _stream_op.OPERATION,
            lambda: _stream_op._get_kwargs(self.session_uuid, last_event_id=resume),
            max_retries=0,
            extra_headers={"Accept": "text/event-stream", "Cache-Control": "no-store"},
        )
        request = core.build(core.http, call, stream=True)  # no deadline, no size cap
        timeouts = {"connect": self.connect_timeout, "read": self.read_timeout}
        request.extensions["timeout"] = {**core.config.timeout.as_dict(), **timeouts}
        return request

    @staticmethod
    def _check_stream(response: httpx.Response) -> EventStreamDecoder:
        """The decoder of a stream that opened, else its typed error (an error status has been
        read: the transport keeps its first MiB)."""
        check_status(response)
        kind = response.headers.get("content-type", "")
        if not kind.startswith("text/event-stream"):
            message = f"the events endpoint answered {kind or 'no content type'}, not a stream"
            raise InvalidResponseError(message, status_code=response.status_code)
        return EventStreamDecoder()

    def _stream_events(self, decoder: EventStreamDecoder, chunk: bytes) -> list[Event]:
        """The events a chunk of the stream completes (none once closed)."""
        events = []
        for event_id, name, data in decoder.feed(chunk):
            try:
                raw = json.loads(data)
            except ValueError:
                raw = data
            self.last_event_id = event_id or self.last_event_id
            if name == "connected":
                self.is_open, self._retries = True, 0
                self._joined.set()
            events.append(self._event(name, raw, event_id or None))
        return [] if self.closed else events

    def _ended(self, error: Exception | None) -> tuple[Event | None, float | None]:
        """After a stream ended (``error`` None: the server ended it): the local event to send
        (``close`` if it was open, else ``error``; none once closed) and the wait before
        reopening it (None: stop). A first connection that fails is not retried."""
        if self.closed:
            return None, None
        message = "the server ended the stream" if error is None else str(error) or repr(error)
        event = _local("close" if self.is_open else "error", message)
        self.is_open = False
        if not self._joined.is_set():
            self.failure = error if isinstance(error, AperturError) else APIConnectionError(message)
            return event, None
        status = error if isinstance(error, APIStatusError) else None
        headers = status.headers if status is not None else None
        fatal = isinstance(error, InvalidInputError | InvalidResponseError) or (
            status is not None
            and not is_retryable_status(status.status_code, headers or httpx.Headers())
        )
        if fatal or not self.reconnection:
            return event, None
        self._retries += 1
        return event, self._policy.wait(self._retries - 1, headers, time.time())

    # --- the lifecycle --------------------------------------------------------------------------

    def _start(self) -> float:
        """Mark the subscription started; how long ``connect()`` waits for ``connected``."""
        if self.closed or self.started:
            raise InvalidInputError("this subscription was already connected or closed")
        self.started = True
        return self.connect_timeout + (self.read_timeout if self.transport == "sse" else 0)

    def _not_started(self, wait: float) -> None:
        self.failure = self.failure or APIConnectionError(
            f"the real-time events of session {self.session_uuid} did not start within {wait:g} s"
        )

    def _closing(self) -> bool:
        """Mark the subscription closed; whether it was open (then a ``close`` event is due)."""
        was_open, self.closed, self.is_open = self.is_open, True, False
        return was_open


OPTIONS = frozenset(inspect.signature(SubscriptionBase).parameters) - {
    "core",
    "session_uuid",
    "transport",
    "callbacks",
}
"""The options of a subscription beyond its transport and callbacks."""


def _in_arrival_order(socketio: Any, client: str, post: Callable[[Job], None]) -> Any:
    """The class ``socketio.<client>`` (``"Client"`` or ``"AsyncClient"``) whose Engine.IO
    messages are handed to ``post`` as they arrive, where python-socketio would start a thread or
    task for each (two events close together could then reach the callbacks in either order)."""
    engine_base: Any = getattr(importlib.import_module("engineio"), client)

    def trigger(engine: Any, event: str, *args: Any, **kwargs: Any) -> Any:
        handle = functools.partial(engine_base._trigger_event, engine)
        if not kwargs.pop("run_async", False):
            return handle(event, *args, **kwargs)
        post(lambda: handle(event, *args, **kwargs))
        return None

    async def async_trigger(engine: Any, event: str, *args: Any, **kwargs: Any) -> Any:
        handled = trigger(engine, event, *args, **kwargs)
        return await handled if inspect.isawaitable(handled) else handled

    def reset(engine: Any) -> None:
        engine_base._reset(engine)
        if engine.ws is not None:  # a dropped websocket-client connection is left open
            engine.ws.shutdown()

    methods: dict[str, Any] = {"_trigger_event": trigger, "_reset": reset}
    if client == "AsyncClient":  # the aiohttp session, closed by _reset, closes its websocket
        methods = {"_trigger_event": async_trigger}
    in_order = type("InArrivalOrder", (engine_base,), methods)
    engine_class = {"_engineio_client_class": lambda self: in_order}
    return type(client, (getattr(socketio, client),), engine_class)


def _interrupt(response: httpx.Response | None) -> None:
    """Wake a thread blocked reading ``response`` (shut its socket down, when it has one)."""
    if response is None or response.is_closed:
        return
    stream = response.extensions.get("network_stream")
    sock = None if stream is None else stream.get_extra_info("socket")
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class EventSubscription(SubscriptionBase):
    """Sync subscription: a background thread reads the stream (for Socket.IO, one thread
    dispatches what ``python-socketio`` receives) and runs the callbacks, one event at a time in
    arrival order; iterate with ``for event in sub`` or :meth:`next_event`."""

    _core: SyncCore

    def __init__(self, core: SyncCore, session_uuid: str, *args: Any, **options: Any) -> None:
        super().__init__(core, session_uuid, *args, **options)
        self._ready = threading.Condition()
        self._joined, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._response: httpx.Response | None = None
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._dispatcher: threading.Thread | None = None  # Socket.IO's, until None is posted
        if self.transport == "socketio":

            def wrap(make: Callable[..., Event]) -> Callable[..., None]:
                def dispatch(*args: Any) -> None:
                    if threading.current_thread() is self._dispatcher:
                        self._dispatch(make(*args))
                    else:
                        self._jobs.put(lambda: self._dispatch(make(*args)))

                return dispatch

            self.sio = self._socketio("Client", ("requests", "websocket"), wrap, self._jobs.put)
            self.sio.on("connect", lambda: self._join(wrap), namespace=NAMESPACE)

    def connect(self) -> Self:
        """Open the stream (or join the session); returns ``self`` once ``connected`` arrived,
        so no later event is missed. Raises the first attempt's typed error:
        :class:`APIConnectionError` (unreachable), ``NotFoundError`` (unknown session),
        ``AuthenticationError`` (bad key), ``AperturError`` (a rejected Socket.IO join)."""
        wait = self._start()
        name = f"apertur-events-{self.session_uuid}"
        if self.sio is None:
            self._thread = threading.Thread(target=self._read_stream, name=name, daemon=True)
            self._thread.start()
        else:
            self._dispatcher = threading.Thread(target=self._run_jobs, name=name, daemon=True)
            self._dispatcher.start()
            try:
                with self._connecting() as options:
                    self.sio.connect(self.url, **options)
            except APIConnectionError:
                self.close()
                raise
        if not self._joined.wait(wait):
            self._not_started(wait)
        if self.failure is not None:
            self.close()
            raise self.failure
        return self

    def _read_stream(self) -> None:
        try:
            delay: float | None = 0
            while delay is not None and not self._stop.wait(delay):
                error: Exception | None = None
                try:
                    with mapped_errors():
                        request = self._stream_request()
                        response = self._response = self._core.http.send(request, stream=True)
                        try:
                            if not is_success(response.status_code):
                                response.read()
                            decoder = self._check_stream(response)
                            for chunk in response.iter_bytes():
                                if self.closed:  # its socket could not be shut down
                                    break
                                for event in self._stream_events(decoder, chunk):
                                    self._dispatch(event)
                        finally:
                            self._response = None  # its connection may go back to the pool
                            response.close()
                except Exception as exc:
                    error = exc
                ended, delay = self._ended(error)
                if ended is not None:
                    self._dispatch(ended)
        finally:
            self._joined.set()
            if not self.closed:  # else close() ends the iterator, after its own ``close`` event
                self._end()

    def _run_jobs(self) -> None:
        """The Socket.IO dispatcher: runs what was posted, in order, until None."""
        while (job := self._jobs.get()) is not None:
            try:
                job()
            except Exception:
                logger.exception("apertur events: a Socket.IO message could not be handled")

    def _dispatch(self, event: Event) -> None:
        for callback in self._targets(event):
            try:
                callback(event)
            except Exception:
                logger.exception("apertur events: callback for %s failed", event.name)
        with self._ready:
            self.buffer.append(event)
            self._ready.notify_all()

    def _end(self, *_: object) -> None:
        with self._ready:
            self.ended = True
            self._ready.notify_all()

    def next_event(self, timeout: float | None = None) -> Event | None:
        """The next event, or None at the end of the stream or after ``timeout`` seconds."""
        with self._ready:
            ready = self._ready.wait_for(self._has_next, timeout)
            return self.buffer.popleft() if ready and self.buffer else None

    def __iter__(self) -> Iterator[Event]:
        while (event := self.next_event()) is not None:
            yield event

    def close(self) -> None:
        """Disconnect, stop reconnecting and end the iterator (promptly: a blocked read is
        interrupted). Idempotent."""
        if self.closed:
            return
        was_open = self._closing()
        if self.sio is not None:
            self.sio.shutdown()  # its ``close`` event is posted: the end comes after it
            self._jobs.put(self._end)
            self._jobs.put(None)
        self._stop.set()
        _interrupt(self._response)
        for thread in (self._thread, self._dispatcher):
            if thread not in (None, threading.current_thread()):
                thread.join(self.connect_timeout)
        if was_open:
            self._dispatch(_local("close", "closed by the client"))
        if threading.current_thread() is not self._dispatcher:  # else it ends after this callback
            self._end()

    def __enter__(self) -> Self:
        return self if self.started else self.connect()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncEventSubscription(SubscriptionBase):
    """Async subscription: a task reads the stream (for Socket.IO, one task dispatches what
    ``socketio.AsyncClient`` receives) and runs the callbacks, one event at a time in arrival
    order, awaiting those that are coroutine functions; iterate with ``async for event in sub``
    or :meth:`next_event`."""

    _core: AsyncCore

    def __init__(self, core: AsyncCore, session_uuid: str, *args: Any, **options: Any) -> None:
        super().__init__(core, session_uuid, *args, **options)
        self._ready, self._joined = asyncio.Event(), asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._jobs: asyncio.Queue[Job | None] = asyncio.Queue()
        self._dispatcher: asyncio.Task[None] | None = None  # Socket.IO's, until None is posted
        if self.transport == "socketio":
            # python-socketio awaits only coroutine functions: the handlers are ones.
            def wrap(make: Callable[..., Event]) -> Callable[..., Any]:
                async def dispatch(*args: Any) -> None:
                    if asyncio.current_task() is self._dispatcher:
                        await self._dispatch(make(*args))
                    else:
                        self._jobs.put_nowait(lambda: self._dispatch(make(*args)))

                return dispatch

            async def join() -> None:
                await self._join(wrap)

            self.sio = self._socketio("AsyncClient", ("aiohttp",), wrap, self._jobs.put_nowait)
            self.sio.on("connect", join, namespace=NAMESPACE)

    async def connect(self) -> Self:
        """Open the stream or join the session; returns ``self`` once ``connected`` arrived
        (see the sync twin for the errors)."""
        wait = self._start()
        if self.sio is None:
            self._task = asyncio.get_running_loop().create_task(self._read_stream())
        else:
            self._dispatcher = asyncio.get_running_loop().create_task(self._run_jobs())
            try:
                with self._connecting() as options:
                    await self.sio.connect(self.url, **options)
            except APIConnectionError:
                await self.close()
                raise
        try:
            async with asyncio.timeout(wait):
                await self._joined.wait()
        except TimeoutError:
            self._not_started(wait)
        if self.failure is not None:
            await self.close()
            raise self.failure
        return self

    async def _read_stream(self) -> None:
        try:
            delay: float | None = 0
            while delay is not None:
                await asyncio.sleep(delay)
                error: Exception | None = None
                try:
                    with mapped_errors():
                        response = await self._core.http.send(self._stream_request(), stream=True)
                        try:
                            if not is_success(response.status_code):
                                await response.aread()
                            decoder = self._check_stream(response)
                            async for chunk in response.aiter_bytes():
                                for event in self._stream_events(decoder, chunk):
                                    await self._dispatch(event)
                        finally:
                            await response.aclose()
                except Exception as exc:
                    error = exc
                ended, delay = self._ended(error)
                if ended is not None:
                    await self._dispatch(ended)
        finally:
            self._joined.set()
            if not self.closed:  # else close() ends the iterator, after its own ``close`` event
                self._end()

    async def _run_jobs(self) -> None:
        """The Socket.IO dispatcher: runs what was posted, in order, until None."""
        while (job := await self._jobs.get()) is not None:
            try:
                result = job()
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.exception("apertur events: a Socket.IO message could not be handled")

    async def _dispatch(self, event: Event) -> None:
        for callback in self._targets(event):
            try:
                result = callback(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.exception("apertur events: callback for %s failed", event.name)
        self.buffer.append(event)
        self._ready.set()

    def _end(self, *_: object) -> None:
        self.ended = True
        self._ready.set()

    async def next_event(self, timeout: float | None = None) -> Event | None:  # noqa: ASYNC109
        """The next event, or None at the end of the stream or after ``timeout`` seconds."""
        try:
            async with asyncio.timeout(timeout):
                while not self._has_next():
                    self._ready.clear()
                    await self._ready.wait()
        except TimeoutError:
            return None
        return self.buffer.popleft() if self.buffer else None

    async def __aiter__(self) -> AsyncIterator[Event]:
        while (event := await self.next_event()) is not None:
            yield event

    async def close(self) -> None:
        """Disconnect, stop reconnecting and end the iterator (promptly). Idempotent."""
        if self.closed:
            return
        was_open = self._closing()
        if self.sio is not None:
            await self.sio.shutdown()  # its ``close`` event is posted: the end comes after it
            http = self.sio.eio.http  # python-engineio leaves it open after a failed connection
            if http is not None and not http.closed:
                await http.close()
            self._jobs.put_nowait(self._end)
            self._jobs.put_nowait(None)
        current = asyncio.current_task()
        if self._dispatcher not in (None, current):
            await asyncio.wait([self._dispatcher], timeout=self.connect_timeout)
        for task in (self._task, self._dispatcher):  # a reader, or a callback that hangs
            if task is not None and task is not current and not task.done():
                task.cancel()
                await asyncio.wait([task])  # the caller's own cancellation still propagates
        if was_open:
            await self._dispatch(_local("close", "closed by the client"))
        if current is not self._dispatcher:  # else it ends after this callback
            self._end()

    async def __aenter__(self) -> Self:
        return self if self.started else await self.connect()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
