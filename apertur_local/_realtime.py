"""Real-time session events over Socket.IO (namespace ``/upload``).

Clients connect to namespace ``/upload`` at engine path ``/socket.io`` with no API key (the session
UUID is the capability), emit ``session:join`` with the UUID and an acknowledgement callback, and
then receive ``image:ready``, ``image:delivering``, ``image:delivered``, ``image:failed`` and
``session:completed`` for that session. :class:`Realtime` owns the ``socketio.AsyncServer``; the app
wraps its Starlette app with :meth:`Realtime.wrap` and runs :meth:`Realtime.follow` in its
lifespan, which emits every event of the state's event log in log order (the same log feeds the
Server-Sent Events streams, so both transports see the same events in the same order).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import socketio
from starlette.types import ASGIApp

from ._event_log import EventLog

__all__ = [
    "MAX_QUEUED",
    "MAX_SESSION_ID_LENGTH",
    "NAMESPACE",
    "REALTIME_EVENTS",
    "SOCKETIO_PATH",
    "Realtime",
]

NAMESPACE = "/upload"
"""The Socket.IO namespace of the upload channel."""

SOCKETIO_PATH = "socket.io"
"""The engine path (``/socket.io``) the SDKs connect to."""

REALTIME_EVENTS = frozenset(
    {"image:ready", "image:delivering", "image:delivered", "image:failed", "session:completed"}
)
"""The server → client events (the four image events, plus ``session:completed``)."""

_BATCH = 256

MAX_QUEUED = 1000
"""Packets that may wait for one client that is not reading; at this many, it is dropped."""

MAX_SESSION_ID_LENGTH = 200
"""Longer ``session:join`` arguments are rejected without a lookup."""

_REJECTED = {"ok": False, "error": "session not found"}
_log = logging.getLogger(__name__)


class Realtime:
    """The ``/upload`` Socket.IO channel: join handling, room-per-session, and emit helpers.

    ``session_exists`` decides whether a ``session:join`` is accepted; it is called with the
    argument the client sent and must not block. Any exception it raises counts as "not found".
    """

    def __init__(
        self, session_exists: Callable[[str], bool], *, max_queued: int = MAX_QUEUED
    ) -> None:
        self._session_exists = session_exists
        self.max_queued = max_queued
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            # Any origin may connect, on purpose: the namespace is the upload page's channel, and
            # like the page's routes it is session-capability based. Connecting gives nothing;
            # joining needs the session's id (what the upload link carries), and the channel only
            # carries that session's events out: no client event changes anything. A web app
            # under development (another origin, e.g. http://localhost:3000) must be able to
            # subscribe, as it can to the real API. Requests addressed to a name that is not the
            # server's (DNS rebinding) are refused before they get here (``_hosts``).
            cors_allowed_origins="*",
            logger=False,
            engineio_logger=False,
        )
        self.sio.on("connect", self._on_connect, namespace=NAMESPACE)
        self.sio.on("session:join", self._on_join, namespace=NAMESPACE)

    async def _on_connect(self, sid: str, environ: Mapping[str, Any], auth: Any = None) -> bool:
        """Accept every connection: the namespace is anonymous, joining is what is checked."""
        return True

    async def _on_join(self, sid: str, *args: Any) -> dict[str, Any]:
        """Handle ``session:join``: one string argument, the session UUID. Never raises."""
        if len(args) != 1 or not isinstance(args[0], str):
            return dict(_REJECTED)
        session_id = args[0]
        if not session_id or len(session_id) > MAX_SESSION_ID_LENGTH:
            return dict(_REJECTED)
        try:
            exists = bool(self._session_exists(session_id))
        except Exception:
            _log.exception("session lookup failed during session:join")
            exists = False
        if not exists:
            return dict(_REJECTED)
        await self.sio.enter_room(sid, session_id, namespace=NAMESPACE)
        return {"ok": True}

    def wrap(self, asgi_app: ASGIApp) -> socketio.ASGIApp:
        """Serve Socket.IO at ``/socket.io`` and pass every other request to ``asgi_app``.

        No ``on_startup``/``on_shutdown`` are given, so lifespan events reach ``asgi_app``.
        """
        return socketio.ASGIApp(self.sio, other_asgi_app=asgi_app, socketio_path=SOCKETIO_PATH)

    async def emit(self, session_uuid: str, event: str, payload: Mapping[str, Any]) -> None:
        """Send ``event`` with ``payload`` to every client that joined ``session_uuid``.

        ``event`` must be one of :data:`REALTIME_EVENTS` (``ValueError`` otherwise). Emitting to a
        session nobody joined is a no-op.
        """
        if event not in REALTIME_EVENTS:
            raise ValueError(f"unknown realtime event {event!r}")
        if not await self._drop_stalled(session_uuid):
            return  # nobody joined: nothing to encode or queue
        await self.sio.emit(event, dict(payload), to=session_uuid, namespace=NAMESPACE)

    async def _drop_stalled(self, session_uuid: str) -> bool:
        """Disconnect the clients of ``session_uuid`` with :attr:`max_queued` packets waiting;
        False when the session has no client at all.

        Engine.IO keeps one unbounded send queue per client, drained as fast as the client
        reads; a client that stopped reading (and still answers pings) would make it grow with
        every event. Its socket is closed without waiting for the queue: it leaves the session's
        room, and nothing is queued for it any more. (python-engineio offers no bound of its
        own; this reads its per-client ``queue``, which the tests check.)
        """
        participants = list(self.sio.manager.get_participants(NAMESPACE, session_uuid))
        for _, eio_sid in participants:
            client = self.sio.eio.sockets.get(eio_sid)
            if client is not None and client.queue.qsize() >= self.max_queued:
                _log.info("dropping a Socket.IO client that stopped reading (%s)", eio_sid)
                await client.close(wait=False, abort=True)
        return bool(participants)

    async def follow(self, log: EventLog) -> None:
        """Emit every event appended to ``log`` from now on, in order, until the log is closed.

        Run as a task in the app's lifespan. Emitting only queues the packets of each connected
        client, so this never waits for a slow client.
        """
        cursor = log.head
        while not log.closed:
            batch = log.all_after(cursor, _BATCH)
            if not batch:
                await log.wait(None, cursor, None)
                continue
            for event in batch:
                cursor = event.seq
                try:
                    await self.emit(event.session_id, event.name, event.data)
                except Exception:
                    _log.exception("could not emit %s over Socket.IO", event.name)
