"""What session links point at: the upload page ``/u/{uuid}``, its files and short links.

The page itself is built by :mod:`apertur_local._upload_page`; no API key is needed for any of
these routes (the session id in the link is the capability).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .._errors import ApiError, not_found
from .._upload_page import asset_response, upload_page_response
from ._common import services

__all__ = ["page_asset", "short_link", "upload_page"]

_MIB = 1024 * 1024


async def upload_page(request: Request) -> Response:
    """``GET /u/{uuid}``: the upload page (404 with the same page for an unknown session)."""
    svc = services(request)
    uuid = request.path_params["uuid"]
    limit = svc.state.config.max_body_bytes
    try:
        session = svc.state.sessions.get(uuid)
    except ApiError:
        return upload_page_response(uuid, limit, status_code=404)
    if session.max_image_size_mb is not None:
        limit = min(limit, session.max_image_size_mb * _MIB)
    return upload_page_response(session.id, limit)


async def page_asset(request: Request) -> Response:
    """``GET /assets/upload/{name}``: the page's script, style sheet and icon."""
    return asset_response(request.path_params["name"])


async def short_link(request: Request) -> Response:
    """``GET /s/{code}``: redirect to the session's upload page (the query string is kept)."""
    svc = services(request)
    code = request.path_params["code"]
    query = request.url.query
    for session in svc.state.tables.sessions.values():
        if session.short_code == code:
            target = f"/u/{session.id}" + (f"?{query}" if query else "")
            return RedirectResponse(target, status_code=302)
    raise not_found("Short link")
