"""Session endpoints: S1-S5, S7-S9 (S6 delivery status lives in ``delivery_status``)."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .._errors import bad_request, forbidden, gone
from .._models import ApiKey, Session
from .._qr import QrOptions, render_qr
from .._store_sessions import SessionOptions
from . import _parse as p
from ._common import (
    Services,
    base_url,
    caller,
    json_response,
    page_base_url,
    page_response,
    services,
)
from ._views import create_session_result, session_row, session_view

__all__ = [
    "by_the_page",
    "create_session",
    "get_session",
    "list_recent_sessions",
    "list_sessions",
    "page_session_for",
    "session_for",
    "session_qr",
    "share_session",
    "update_session",
    "verify_password",
]

SPEC_MIME_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")
"""The ImageMimeType enum of openapi.yaml."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{5,24}$")
_MAX_HOURS = 24 * 365 * 100


def session_for(request: Request) -> tuple[Services, ApiKey, Session]:
    """Authenticate and load the ``{uuid}`` session of the caller's project (404 otherwise)."""
    svc, key = caller(request)
    session = svc.state.sessions.get(request.path_params["uuid"], key.project_id)
    return svc, key, session


def by_the_page(request: Request) -> bool:
    """Whether ``request`` uses the session id as its only credential (no API key): its wrong
    passwords count against the session's bound (``_password_attempts``)."""
    return "authorization" not in request.headers


def page_session_for(request: Request) -> tuple[Services, ApiKey, Session]:
    """Load the ``{uuid}`` session for the upload-page family (S2, S4, U1/U2).

    The session id is the capability, as on the real upload page: a request without an
    ``Authorization`` header comes from the page a person opened from the session's link, and
    acts for the key that created the session. A Bearer key, when sent, is checked as everywhere
    else (401 when invalid, 404 for another project's session), so SDK callers see no change.
    A session whose key was deleted or deactivated no longer opens without a key (403).
    """
    if "authorization" in request.headers:
        return session_for(request)
    svc = services(request)
    session = svc.state.sessions.get(request.path_params["uuid"])
    owner = svc.state.tables.keys.get(session.key_id)
    if owner is None or not owner.is_active:
        raise forbidden("This upload link was revoked (its API key was deleted or deactivated)")
    return svc, owner, session


async def create_session(request: Request) -> Response:
    """S1 ``POST /api/v1/upload-sessions``."""
    svc, key = caller(request)
    body = await p.json_object(request)
    hours = p.integer(body, "expires_in_hours", minimum=1)
    options = SessionOptions(
        destination_ids=p.string_list(body, "destination_ids"),
        long_polling=p.boolean(body, "long_polling"),
        tags=p.string_list(body, "tags"),
        expires_in_hours=min(hours, _MAX_HOURS) if hours is not None else None,
        expires_at=p.date_time(body, "expires_at"),
        max_images=p.integer(body, "max_images", minimum=1),
        allowed_mime_types=p.string_list(body, "allowed_mime_types", allowed=SPEC_MIME_TYPES),
        max_image_dimension=p.integer(body, "max_image_dimension", minimum=1),
        password=p.string(body, "password"),
        metadata=p.obj(body, "metadata"),
        label=p.string(body, "label"),
    )
    session = svc.state.sessions.create(key, options)
    result = create_session_result(svc.state, session, base_url(request), page_base_url(request))
    return json_response(result, 201)


async def get_session(request: Request) -> Response:
    """S2 ``GET /api/v1/upload/{uuid}/session`` (an expired session reports ``expired``)."""
    svc, _, session = page_session_for(request)
    return json_response(session_view(svc.state, session))


async def update_session(request: Request) -> Response:
    """S3 ``PATCH /api/v1/upload-sessions/{uuid}``; ``password: null`` removes protection."""
    svc, _, session = session_for(request)
    body = await p.json_object(request)
    changes: dict[str, Any] = {}
    if "expires_at" in body:
        changes["expires_at"] = p.date_time(body, "expires_at")
    for name in ("max_images", "max_image_dimension", "max_image_size_mb"):
        if name in body:
            changes[name] = p.integer(body, name, minimum=1)
    if "allowed_mime_types" in body:
        changes["allowed_mime_types"] = p.string_list(
            body, "allowed_mime_types", allowed=SPEC_MIME_TYPES
        )
    if "password" in body:
        changes["password"] = p.nullable_string(body, "password")
    session = svc.state.sessions.update(session, changes)
    return json_response(session_view(svc.state, session))


async def verify_password(request: Request) -> Response:
    """S4 ``POST /api/v1/upload/{uuid}/verify-password`` -> ``{valid}`` (410 once expired)."""
    svc, _, session = page_session_for(request)
    body = await p.json_object(request)
    password = p.string(body, "password", required=True) or ""
    if svc.state.sessions.status(session) == "expired":
        raise gone("Upload session has expired")
    valid = svc.state.sessions.verify_password(session, password, limited=by_the_page(request))
    return json_response({"valid": valid})


async def session_qr(request: Request) -> Response:
    """S5 ``GET /api/v1/upload-sessions/{uuid}/qr``: a PNG, SVG or JPEG of the upload URL."""
    _, _, session = session_for(request)
    query = request.query_params
    options = QrOptions.from_query(
        fmt=query.get("format"),
        size=p.query_int(request, "size", 300, minimum=32, maximum=4096),
        style=query.get("style"),
        fg=query.get("fg"),
        bg=query.get("bg"),
        border=p.query_int(request, "borderSize", 2, minimum=0, maximum=64),
        border_color=query.get("borderColor"),
    )
    content, media_type = render_qr(f"{page_base_url(request)}/u/{session.id}", options)
    return Response(content, media_type=media_type)


async def share_session(request: Request) -> Response:
    """S7 ``POST /api/v1/upload-sessions/{uuid}/share``: recorded, never sent."""
    svc, _, session = session_for(request)
    body = await p.json_object(request)
    channel = p.string(body, "channel", required=True)
    recipient = (p.string(body, "recipient", required=True) or "").strip()
    consent = p.boolean(body, "sms_consent")
    note = p.string(body, "note")
    if channel == "email":
        if not _EMAIL.match(recipient):
            raise bad_request("recipient must be an email address for channel email")
    elif channel == "sms":
        if not _PHONE.match(recipient):
            raise bad_request("recipient must be a phone number for channel sms")
        if consent is not True:
            raise bad_request("sms_consent must be true to share by sms")
    else:
        raise bad_request("channel must be email or sms")
    if svc.state.sessions.status(session) == "expired":
        raise gone("Upload session has expired")
    share = svc.state.sessions.share(session, channel, recipient, note)
    return json_response(
        {
            "ok": True,
            "channel": share.channel,
            "recipient": share.recipient,
            "short_url": f"{page_base_url(request)}/s/{share.short_code}",
        }
    )


async def list_sessions(request: Request) -> Response:
    """S8 ``GET /api/v1/sessions?page&pageSize``."""
    svc, key = caller(request)
    return page_response(
        request, svc.state.sessions.for_project(key.project_id), lambda s: session_row(svc.state, s)
    )


async def list_recent_sessions(request: Request) -> Response:
    """S9 ``GET /api/v1/sessions/recent?limit`` (a top-level array)."""
    svc, key = caller(request)
    limit = p.query_int(request, "limit", 10, minimum=1, maximum=50)
    rows = svc.state.sessions.for_project(key.project_id)[:limit]
    return json_response([session_row(svc.state, s) for s in rows])
