"""Wiring only: state, delivery engine, routes, error handlers, middlewares and Socket.IO.

Layers, outermost first::

    LatencyMiddleware (--latency/--jitter; off by default)             _latency
    HostGuard (only the server's own names: DNS rebinding)            _hosts
      socketio.ASGIApp (/socket.io, namespace /upload)                _realtime
        FaultMiddleware (off unless /_local/faults says so)            _faults
          RateLimitMiddleware (--rate-limit N per minute)              _ratelimit
            BodyGuardMiddleware (Connection: close on early answers)   _body_guard
              RawPathRouting (an encoded slash stays in its id)        _raw_path
                BodyTimeoutMiddleware (408 on a stalled body)          _wire_limits
                  ControlPlaneGuard (who may use /_local/…)            _control
                    RequestSigningMiddleware (--signing-secret S)      _request_signing
                      Starlette(routes, exception handlers, lifespan)

Middlewares that answer before the app runs (HostGuard, FaultMiddleware, RateLimitMiddleware)
read a refused request's body as BodyGuardMiddleware does (``_body_guard.answer_early``).

Limits on the request head (size, time) and on concurrency are set on uvicorn itself
(``_wire_limits.uvicorn_limits``).

The lifespan starts the delivery engine and the Socket.IO follower of the event log and, on
shutdown, stops them and closes the state (a temporary data directory is removed then). Nothing
here is module-level state: :func:`build_app` makes a fresh
:class:`~apertur_local._state.AperturState` every time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import attrs
from starlette.applications import Starlette
from starlette.types import ASGIApp

from ._body_guard import BodyGuardMiddleware
from ._config import Clock, LocalConfig
from ._control import ControlPlaneGuard
from ._delivery import DeliveryEngine
from ._errors import exception_handlers
from ._fault_plan import FaultPlan
from ._faults import FaultMiddleware
from ._handlers._common import Services
from ._handlers._intake import MemoryBudget
from ._hosts import HostGuard, server_names
from ._latency import LatencyMiddleware
from ._outbound import OutboundSender
from ._ratelimit import RateLimitMiddleware
from ._raw_path import RawPathRouting
from ._realtime import Realtime
from ._request_signing import RequestSigningMiddleware
from ._routes import build_routes
from ._sse import StreamLimit, install_token_redaction
from ._state import AperturState, build_state
from ._wire_limits import BodyTimeoutMiddleware

__all__ = ["LocalApp", "build_app", "create_app"]


@attrs.define
class LocalApp:
    """A built server: the ASGI app plus the objects behind it (for embedding and tests)."""

    asgi: ASGIApp
    state: AperturState
    engine: DeliveryEngine
    realtime: Realtime
    fault_plan: FaultPlan
    upload_memory: MemoryBudget


def _wrap_middlewares(app: ASGIApp, config: LocalConfig, plan: FaultPlan) -> ASGIApp:
    timeout = config.body_timeout
    if config.signing_secret:
        app = RequestSigningMiddleware(app, config.signing_secret, config.signing_tolerance)
    app = ControlPlaneGuard(
        app, config.host, config.control_token, allowed_hosts=config.allowed_hosts
    )
    app = BodyGuardMiddleware(RawPathRouting(BodyTimeoutMiddleware(app, timeout)), timeout)
    if config.rate_limit:
        app = RateLimitMiddleware(app, config.rate_limit, body_timeout=timeout)
    return FaultMiddleware(app, plan, body_timeout=timeout)


def build_app(
    config: LocalConfig,
    *,
    state: AperturState | None = None,
    clock: Clock | None = None,
    sender: OutboundSender | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> LocalApp:
    """Build a complete local server app for ``config`` (state made fresh unless given)."""
    state = state or build_state(config, clock=clock)
    realtime = Realtime(lambda uuid: uuid in state.tables.sessions)
    kwargs: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
    engine = DeliveryEngine(state, sender, **kwargs)
    plan = FaultPlan()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine.start()
        follower = asyncio.create_task(realtime.follow(state.event_log))
        try:
            yield
        finally:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
            await engine.stop()
            state.close()

    starlette = Starlette(
        routes=build_routes(plan),
        exception_handlers=exception_handlers(),
        lifespan=lifespan,
    )
    upload_memory = MemoryBudget()
    starlette.state.services = Services(state, engine, upload_memory)
    starlette.state.fault_plan = plan
    starlette.state.event_streams = StreamLimit(config.max_event_streams)
    install_token_redaction()
    asgi: ASGIApp = realtime.wrap(_wrap_middlewares(starlette, config, plan))
    names = server_names(config.host, config.public_url, config.allowed_hosts)
    asgi = HostGuard(asgi, names, body_timeout=config.body_timeout)
    if config.latency > 0:
        asgi = LatencyMiddleware(asgi, config.latency, config.jitter)
    return LocalApp(asgi, state, engine, realtime, plan, upload_memory)


def create_app(config: LocalConfig | None = None) -> ASGIApp:
    """The ASGI app of a local Apertur server (``uvicorn.run(create_app())``).

    It answers only requests addressed to an IP address, ``localhost``, ``*.localhost`` or a
    name of ``config`` (``host``, ``public_url``, ``allowed_hosts``): in-process clients should
    use a base URL such as ``http://localhost``.
    """
    return build_app(config or LocalConfig()).asgi
