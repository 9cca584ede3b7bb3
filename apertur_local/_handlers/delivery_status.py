"""Delivery status S6 ``GET /api/v1/upload-sessions/{uuid}/delivery-status[?pollFrom=]``.

Without ``pollFrom`` the snapshot is answered at once. With it, the request is held (no busy
loop: it waits on the state's change signal) until the session's ``lastChanged`` moves past the
cursor, the session expires, the client disconnects or ``LocalConfig.long_poll_hold`` seconds pass;
then the current snapshot is answered (unchanged on timeout, as the real API does).
"""

from __future__ import annotations

import asyncio
import contextlib

from starlette.requests import Request
from starlette.responses import Response

from .._models import Session
from .._state import AperturState
from . import _parse as p
from ._common import json_response
from ._views import delivery_status_view
from .sessions import session_for

__all__ = ["delivery_status"]


def _ms(value: float) -> int:
    return round(value * 1000)


async def _client_gone(request: Request) -> None:
    """Return once the client has disconnected."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def hold_until_change(
    state: AperturState, session: Session, cursor: float, hold: float, request: Request
) -> None:
    """Wait while nothing changed after ``cursor`` (see the module docstring)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + hold
    gone = asyncio.ensure_future(_client_gone(request))
    try:
        while _ms(state.uploads.last_changed(session)) <= _ms(cursor):
            remaining = deadline - loop.time()
            if remaining <= 0 or gone.done() or state.changes.closed:
                return
            if state.sessions.status(session) == "active":
                until_expiry = session.expires_at - state.clock.now()
                remaining = min(remaining, max(until_expiry, 0.0) + 0.005)
            # Listen before yielding to the loop: a change made between the check above and
            # the waiter's first step would otherwise be missed, holding the request for nothing.
            waiter = asyncio.ensure_future(state.changes.listen(session.id).wait())
            await asyncio.wait(
                {waiter, gone}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
            )
            if not waiter.done():
                waiter.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await waiter
            if state.tables.sessions.get(session.id) is not session:
                return
    finally:
        gone.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await gone


async def delivery_status(request: Request) -> Response:
    """S6."""
    svc, _, session = session_for(request)
    raw = request.query_params.get("pollFrom")
    if raw is not None:
        cursor = p.parse_iso(raw, "pollFrom")
        await hold_until_change(
            svc.state, session, cursor, svc.state.config.long_poll_hold, request
        )
    return json_response(delivery_status_view(svc.state, session))
