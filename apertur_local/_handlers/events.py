"""Real-time events over Server-Sent Events: the two stream endpoints.

* ``GET /api/v1/upload/{uuid}/events`` — the upload-page family: no API key needed, the session
  UUID is the capability (what the official Node SDK calls); a key that is sent is checked, as on
  the family's other routes;
* ``GET /api/v1/sessions/{sessionId}/events`` — an API key of the session's project, in
  ``Authorization: Bearer`` or (for clients such as a browser ``EventSource`` that cannot set
  headers) the ``token`` query parameter.

Both stream the session's events from the event log (``_sse`` frames them). Without
``Last-Event-ID`` a stream starts with the events that happen after it connected; with it, the
retained events after that id are replayed first.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .._auth import bearer_token
from .._errors import ApiError, unauthorized
from .._sse import EventStreamResponse, StreamLimit
from ._common import Services, services
from .sessions import page_session_for

__all__ = ["session_events", "upload_events"]


async def upload_events(request: Request) -> Response:
    """R1 ``GET /api/v1/upload/{uuid}/events`` (the session id is the capability)."""
    svc, _, session = page_session_for(request)
    return _stream(request, svc, session.id)


async def session_events(request: Request) -> Response:
    """R3 ``GET /api/v1/sessions/{sessionId}/events`` (API key in the header or ``?token=``)."""
    svc = services(request)
    token = bearer_token(request)
    if token is None and "authorization" not in request.headers:
        token = request.query_params.get("token") or None
    if token is None:
        raise unauthorized(
            "Missing API key: send Authorization: Bearer <key> or the token query parameter"
        )
    key = svc.state.keys.authenticate(token)
    session = svc.state.sessions.get(request.path_params["sessionId"], key.project_id)
    return _stream(request, svc, session.id)


def _stream(request: Request, svc: Services, session_id: str) -> Response:
    log = svc.state.event_log
    cursor = log.cursor_after(request.headers.get("last-event-id"))
    limit: StreamLimit = request.app.state.event_streams
    if not limit.acquire():
        raise ApiError(
            503,
            f"Too many open event streams (at most {limit.limit}); retry later",
            "SERVICE_UNAVAILABLE",
            headers={"Retry-After": "5"},
        )
    return EventStreamResponse(
        log, session_id, cursor, heartbeat=svc.state.config.event_heartbeat, limit=limit
    )
