"""Async twin of ``subscription`` (``socketio.AsyncClient``; asyncio only, as python-socketio is).

The behaviour (join on every connection, parsing, local events, bounded buffer) is described in
``subscription``; only the I/O differs: callbacks may be coroutine functions, and iteration is
``async for``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, Self, cast

from .subscription import END, Event, SubscriptionBase, logger, require_extra

__all__ = ["AsyncEventSubscription", "async_subscribe"]


class AsyncEventSubscription(SubscriptionBase):
    """Async subscription (``socketio.AsyncClient``, asyncio only). Callbacks may be coroutine
    functions; iterate with ``async for event in sub`` or :meth:`next_event`."""

    def __init__(self, base_url: str, session_uuid: str, **options: Any) -> None:
        super().__init__(base_url, session_uuid, **options)
        socketio = require_extra("socketio", "aiohttp")
        self.buffer: asyncio.Queue[object] = asyncio.Queue()
        self._joined = asyncio.Event()
        self._join_result: Event | None = None
        self.sio = socketio.AsyncClient(**self.client_options)
        ns = self.namespace
        # python-socketio awaits only real coroutine functions, hence methods and not lambdas.
        self.sio.on("connect", self._on_connect, namespace=ns)
        self.sio.on("connect_error", self._on_connect_error, namespace=ns)
        self.sio.on("disconnect", self._on_disconnect, namespace=ns)
        self.sio.on("__disconnect_final", self._end, namespace=ns)
        self.sio.on("*", self._on_server_event, namespace=ns)

    async def _on_connect_error(self, *args: Any) -> None:
        await self._dispatch(self._error(args))

    async def _on_disconnect(self, *args: Any) -> None:
        await self._dispatch(self._close(args))

    async def _on_server_event(self, name: str, *args: Any) -> None:
        await self._dispatch(self._server_event(name, args))

    async def _on_join_ack(self, *args: Any) -> None:
        event = self._join_event(args)
        if not self._joined.is_set():
            self._join_result = event
            self._joined.set()
        await self._dispatch(event)

    async def connect(self) -> Self:
        """Open the connection and join the session; returns ``self`` once the join is
        acknowledged (see the sync twin for the errors)."""
        self._check_startable()
        try:
            await self.sio.connect(self.url, **self._connect_kwargs())
        except Exception as exc:
            raise self._connect_failed(exc) from exc
        try:
            await asyncio.wait_for(self._joined.wait(), self.connect_timeout)
            joined = True
        except TimeoutError:
            joined = False
        failure = self._join_failure(joined, self._join_result)
        if failure is not None:
            await self.close()
            raise failure
        return self

    async def _on_connect(self) -> None:
        await self.sio.emit(
            "session:join", self.session_uuid, namespace=self.namespace, callback=self._on_join_ack
        )

    async def _dispatch(self, event: Event) -> None:
        for callback in self._targets(event):
            try:
                result = callback(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.exception("apertur events: callback for %s failed", event.name)
        self._put(event)

    def _put(self, item: object) -> None:
        while self.buffer.qsize() >= self.max_buffer:
            self.buffer.get_nowait()  # drop the oldest: memory stays bounded
        self.buffer.put_nowait(item)

    def _end(self, *_: object) -> None:
        self._put(END)

    async def next_event(self, timeout: float | None = None) -> Event | None:  # noqa: ASYNC109
        """The next event, or None at the end of the stream or after ``timeout`` seconds."""
        try:
            item = await asyncio.wait_for(self.buffer.get(), timeout)
        except TimeoutError:
            return None
        if item is END:
            self._put(END)
            return None
        return cast(Event, item)

    async def __aiter__(self) -> AsyncIterator[Event]:
        while (event := await self.next_event()) is not None:
            yield event

    async def close(self) -> None:
        """Disconnect, stop reconnecting and end the iterator. Idempotent."""
        if not self.closed:
            self.closed = True
            await self.sio.shutdown()
            self._end()

    async def __aenter__(self) -> Self:
        return self if self.started else await self.connect()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


async def async_subscribe(
    base_url: str, session_uuid: str, **options: Any
) -> AsyncEventSubscription:
    """A connected :class:`AsyncEventSubscription`."""
    return await AsyncEventSubscription(base_url, session_uuid, **options).connect()
