"""Async twin of ``subscription`` (asyncio only, as python-socketio is): the same events, the
stream read by a task on the client's ``httpx.AsyncClient``; callbacks may be coroutine
functions, and iteration is ``async for``."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from .._core.failures import mapped_errors
from .._core.response import is_success
from .subscription import Event, SubscriptionBase, local_event, logger, require_extra

if TYPE_CHECKING:
    from .._core.request import AsyncCore

__all__ = ["AsyncEventSubscription"]


class AsyncEventSubscription(SubscriptionBase):
    """Async subscription: a task reads the stream (``socketio.AsyncClient`` for Socket.IO);
    iterate with ``async for event in sub`` or :meth:`next_event`."""

    _core: AsyncCore

    def __init__(self, core: AsyncCore, session_uuid: str, *args: Any, **options: Any) -> None:
        super().__init__(core, session_uuid, *args, **options)
        self._ready, self._joined = asyncio.Event(), asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.sio: Any = None
        if self.transport == "socketio":
            self.sio = require_extra("socketio", "aiohttp").AsyncClient(**self.client_options)
            # python-socketio awaits only real coroutine functions, hence methods, not lambdas.
            handlers = {
                "connect": self._on_connect,
                "connect_error": self._on_connect_error,
                "disconnect": self._on_disconnect,
                "__disconnect_final": self._on_final,
                "*": self._on_event,
            }
            for name, handler in handlers.items():
                self.sio.on(name, handler, namespace=self.namespace)

    async def _on_connect(self) -> None:
        await self.sio.emit(
            "session:join", self.session_uuid, namespace=self.namespace, callback=self._on_ack
        )

    async def _on_ack(self, *args: Any) -> None:
        await self._dispatch(self._join_event(args))

    async def _on_connect_error(self, *args: Any) -> None:
        await self._dispatch(local_event("error", args))

    async def _on_disconnect(self, *args: Any) -> None:
        await self._dispatch(local_event("close", args))

    async def _on_final(self, *args: Any) -> None:
        self._end()

    async def _on_event(self, name: str, *args: Any) -> None:
        await self._dispatch(self._socketio_event(name, args))

    async def connect(self) -> Self:
        """Open the stream or join the session; returns ``self`` once ``connected`` arrived
        (see the sync twin for the errors)."""
        wait = self._start()
        if self.sio is None:
            self._task = asyncio.get_running_loop().create_task(self._read_stream())
        else:
            with self._connecting():
                await self.sio.connect(self.url, **self._socketio_options)
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

    def _end(self) -> None:
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
        self.closed, was_open, self.is_open = True, self.is_open, False
        if self.sio is not None:
            await self.sio.shutdown()
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()
            await asyncio.wait([self._task])  # the caller's own cancellation still propagates
        if was_open:
            await self._dispatch(local_event("close", ("closed by the client",)))
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
