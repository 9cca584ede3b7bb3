"""Fault injection for the local Apertur: the ASGI middleware and its ``/_local/faults`` routes.

Off unless asked for: with an empty :class:`FaultPlan` the middleware passes every request through.
Wrap the Starlette app (inside ``socketio.ASGIApp``) with :class:`FaultMiddleware` and add
:func:`fault_routes` to the route table. Control-plane paths (``/_local/…``) are never faulted.

Dropping a connection: ASGI has no "abort" message, so the middleware sends an
``http.response.start`` with an impossible status (999). uvicorn marks the response as started,
fails before writing a byte, and — once :class:`InjectedDisconnect` propagates — closes the
transport. The client sees a connection closed without a response (``close_before`` /
``close_after``) or in the middle of the body (``truncate``, ``drop_stream``): a connection-level
error, never a 500. uvicorn's "Exception in ASGI application" log record for these is filtered out.

``drop_stream`` cuts a streaming response (Server-Sent Events) while it runs: the response goes
out as the app writes it; once the chosen number of events has been written, the app is
cancelled and the connection dropped (without the final chunk, as a network failure would).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from apertur_local._body_guard import answer_early
from apertur_local._fault_plan import FaultPlan
from apertur_local._fault_spec import (
    ChaosConfig,
    Fault,
    FaultAction,
    FaultRule,
    FaultSpecError,
    WeightedFault,
    parse_chaos,
    parse_fault,
    parse_rule,
)
from apertur_local._json_body import JsonBodyError, parse_json, read_body

__all__ = [
    "CONTROL_PREFIX",
    "ChaosConfig",
    "Fault",
    "FaultAction",
    "FaultMiddleware",
    "FaultPlan",
    "FaultRule",
    "FaultSpecError",
    "InjectedDisconnect",
    "WeightedFault",
    "fault_routes",
    "parse_chaos",
    "parse_fault",
    "parse_rule",
]

CONTROL_PREFIX = "/_local/"
"""Requests under this prefix (the control plane) are never faulted."""

_ABORT_STATUS = 999
_MAX_SPEC_BODY = 64 * 1024
_DEFAULT_CODES = {429: "RATE_LIMITED", 503: "SERVICE_UNAVAILABLE", 502: "BAD_GATEWAY"}


class InjectedDisconnect(Exception):
    """Raised out of the app so that the server drops the connection."""


class _QuietInjectedDisconnects(logging.Filter):
    """Drop uvicorn's traceback record for a deliberately dropped connection."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, InjectedDisconnect)


_QUIET_FILTER = _QuietInjectedDisconnects()


def _install_log_filter() -> None:
    logger = logging.getLogger("uvicorn.error")
    if _QUIET_FILTER not in logger.filters:
        logger.addFilter(_QUIET_FILTER)


async def _abort(send: Send) -> None:
    """Make the server close the connection without writing anything more."""
    # uvicorn rejects the status before writing anything: that is the point.
    with contextlib.suppress(Exception):
        await send({"type": "http.response.start", "status": _ABORT_STATUS, "headers": []})
    raise InjectedDisconnect


def _status_response(fault: Fault) -> Response:
    body = {
        "message": f"Injected fault: HTTP {fault.status}",
        "code": _DEFAULT_CODES.get(fault.status, "INJECTED_FAULT"),
    }
    body.update(fault.body or {})
    headers = {} if fault.retry_after is None else {"Retry-After": fault.retry_after}
    return JSONResponse(body, status_code=fault.status, headers=headers)


class _Capture:
    """A ``send`` that records the app's response instead of sending it."""

    def __init__(self) -> None:
        self.start: Message | None = None
        self.body = bytearray()

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.body.extend(message.get("body", b""))


class FaultMiddleware:
    """Pure ASGI middleware applying a :class:`FaultPlan` to HTTP requests.

    WebSocket and lifespan scopes, and paths under :data:`CONTROL_PREFIX`, pass through untouched.
    ``sleep`` is injectable so that ``delay`` faults can be tested without waiting. A ``status``
    fault answers as the server answers early (``_body_guard.answer_early``): it discards a small
    body first, waiting at most ``body_timeout`` for each piece of it, and otherwise answers
    with ``Connection: close`` without reading on.
    """

    def __init__(
        self,
        app: ASGIApp,
        plan: FaultPlan,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        *,
        body_timeout: float = 15.0,
    ) -> None:
        self.app = app
        self.plan = plan
        self._sleep = sleep
        self.body_timeout = body_timeout
        _install_log_filter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"].startswith(CONTROL_PREFIX)
            or not self.plan.active
        ):
            await self.app(scope, receive, send)
            return
        fault = self.plan.take(scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
        elif fault.action == "status":  # a small body is read first, within the body timeout
            await answer_early(_status_response(fault), scope, receive, send, self.body_timeout)
        elif fault.action == "close_before":
            await _abort(send)
        elif fault.action == "delay":
            await self._sleep(fault.delay)
            await self.app(scope, receive, send)
        elif fault.action == "drop_stream":
            await _run_then_cut(self.app, fault.after_events, scope, receive, send)
        else:
            await self._run_then_break(fault, scope, receive, send)

    async def _run_then_break(
        self, fault: Fault, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """``close_after`` and ``truncate``: run the app fully, then break its response."""
        capture = _Capture()
        await self.app(scope, receive, capture)
        if fault.action == "truncate" and capture.start is not None:
            full = bytes(capture.body)
            keep = len(full) // 2 if fault.keep_bytes is None else min(fault.keep_bytes, len(full))
            keep = min(keep, max(len(full) - 1, 0))
            headers = [
                (k, v)
                for k, v in capture.start.get("headers", [])
                if k.lower() not in (b"content-length", b"transfer-encoding")
            ]
            headers.append((b"content-length", str(len(full)).encode("ascii")))
            await send({**capture.start, "headers": headers})
            await send({"type": "http.response.body", "body": full[:keep], "more_body": True})
            raise InjectedDisconnect
        await _abort(send)


async def _run_then_cut(
    app: ASGIApp, after_events: int, scope: Scope, receive: Receive, send: Send
) -> None:
    """``drop_stream``: forward the response; drop the connection after ``after_events`` events."""
    cut = asyncio.Event()
    written = 0

    async def counting_send(message: Message) -> None:
        nonlocal written
        if cut.is_set():
            await asyncio.Event().wait()  # nothing more goes out: the app is being cancelled
        await send(message)
        if message["type"] == "http.response.body":
            written += bytes(message.get("body", b"")[:3]) == b"id:"
        if message["type"] in ("http.response.start", "http.response.body") and (
            written >= after_events
        ):
            cut.set()
            await asyncio.Event().wait()

    app_task = asyncio.ensure_future(app(scope, receive, counting_send))
    cut_task = asyncio.ensure_future(cut.wait())
    try:
        await asyncio.wait({app_task, cut_task}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (cut_task, app_task):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    if cut.is_set():
        raise InjectedDisconnect
    app_task.result()


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message, "code": "VALIDATION_ERROR"}, status_code=status)


async def _json_body(request: Request) -> Any:
    raw = await read_body(request, _MAX_SPEC_BODY)
    try:
        return parse_json(raw)
    except JsonBodyError as exc:
        raise FaultSpecError(f"the body must be JSON ({exc})") from None


def fault_routes(plan: FaultPlan) -> list[Route]:
    """Control routes for ``plan`` under ``/_local/faults``.

    * ``POST /_local/faults``: add a rule object, a list of them, or ``{"rules": [...]}``;
    * ``GET /_local/faults``: remaining rules, chaos settings and injection counters;
    * ``DELETE /_local/faults``: clear rules, chaos and counters;
    * ``PUT /_local/faults/chaos``: set chaos mode ``{ratio, actions, seed?, path?, method?}``;
    * ``DELETE /_local/faults/chaos``: turn chaos mode off.
    """

    async def add_rules(request: Request) -> Response:
        try:
            data = await _json_body(request)
            if isinstance(data, dict) and "rules" in data:
                data = data["rules"]
            items = data if isinstance(data, list) else [data]
            rules = [parse_rule(item) for item in items]
        except FaultSpecError as exc:
            return _error(400, str(exc))
        plan.add(*rules)
        return JSONResponse(plan.snapshot(), status_code=201)

    async def show(request: Request) -> Response:
        return JSONResponse(plan.snapshot())

    async def clear(request: Request) -> Response:
        plan.clear()
        return Response(status_code=204)

    async def set_chaos(request: Request) -> Response:
        try:
            config = parse_chaos(await _json_body(request))
        except FaultSpecError as exc:
            return _error(400, str(exc))
        plan.set_chaos(config)
        return JSONResponse(plan.snapshot())

    async def stop_chaos(request: Request) -> Response:
        plan.set_chaos(None)
        return Response(status_code=204)

    return [
        Route("/_local/faults", add_rules, methods=["POST"]),
        Route("/_local/faults", show, methods=["GET"]),
        Route("/_local/faults", clear, methods=["DELETE"]),
        Route("/_local/faults/chaos", set_chaos, methods=["PUT", "POST"]),
        Route("/_local/faults/chaos", stop_chaos, methods=["DELETE"]),
    ]
