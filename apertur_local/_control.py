"""The control plane ``/_local/…`` (not part of the Apertur API, never in openapi.yaml).

* ``GET  /_local/health``: ``{"ok": true}`` once the server answers;
* ``POST /_local/reset``: back to the seeded state (project, bootstrap key), deliveries cancelled,
  stored images deleted, faults cleared, clock back to real time; the RSA key is kept;
* ``GET  /_local/state``: counts of everything stored (no secrets);
* ``POST /_local/clock`` ``{"advance": seconds}``: move the server clock forward (expiry tests);
* fault injection under ``/_local/faults`` (``_faults``).

No API key is needed: the server listens on loopback by default.
"""

from __future__ import annotations

import asyncio
import math

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ._errors import bad_request
from ._isotime import format_iso
from ._json_body import JsonBodyError, parse_json, read_body

__all__ = ["control_routes"]


async def health(request: Request) -> Response:
    """``GET /_local/health``."""
    return JSONResponse({"ok": True})


async def reset(request: Request) -> Response:
    """``POST /_local/reset``."""
    app_state = request.app.state
    state = app_state.services.state
    await app_state.services.engine.cancel_all()
    detached = state.reset()
    app_state.fault_plan.clear()
    # Deleting thousands of image files is disk work: off the event loop.
    await asyncio.to_thread(state.blobs.remove_tree, detached)
    return JSONResponse({"status": "reset"})


async def state_summary(request: Request) -> Response:
    """``GET /_local/state``."""
    return JSONResponse(request.app.state.services.state.summary())


async def clock(request: Request) -> Response:
    """``POST /_local/clock`` ``{"advance": seconds}`` (an empty body just reads the clock)."""
    raw = await read_body(request, 4096)
    advance = 0.0
    if raw.strip():
        try:
            body = parse_json(raw)
        except JsonBodyError as exc:
            raise bad_request('body must be JSON like {"advance": 3600}') from exc
        value = body.get("advance", 0) if isinstance(body, dict) else None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            raise bad_request("advance must be a non-negative number of seconds")
        advance = float(value)
    state = request.app.state.services.state
    now = state.clock.advance(advance)
    state.changes.wake_all()
    return JSONResponse({"now": format_iso(now), "offset": state.clock.offset})


def control_routes() -> list[BaseRoute]:
    """Routes of the control plane (fault routes are added by ``_routes``)."""
    return [
        Route("/_local/health", health, methods=["GET"]),
        Route("/_local/reset", reset, methods=["POST"]),
        Route("/_local/state", state_summary, methods=["GET"]),
        Route("/_local/clock", clock, methods=["POST"]),
    ]
