"""What session URLs point at: a minimal upload page ``/u/{uuid}`` and short links ``/s/{code}``.

The real upload page is a web app on apertur.ca; the local one only names the session and its
status, so links printed by the SDK or the demo lead somewhere meaningful. No API key is needed.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .._errors import not_found
from ._common import services

__all__ = ["short_link", "upload_page"]


async def upload_page(request: Request) -> Response:
    """``GET /u/{uuid}``: a one-paragraph HTML page about the session."""
    svc = services(request)
    session = svc.state.sessions.get(request.path_params["uuid"])
    status = svc.state.sessions.status(session)
    sid = html.escape(session.id)
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>apertur-local upload</title>"
        f"</head><body><h1>apertur-local</h1><p>Upload session <code>{sid}</code> is "
        f"<b>{html.escape(status)}</b> with {len(session.image_ids)} image(s).</p><p>Upload with "
        f"<code>POST /api/v1/upload/{sid}/images</code>.</p></body></html>"
    )
    return HTMLResponse(body)


async def short_link(request: Request) -> Response:
    """``GET /s/{code}``: redirect to the session's upload page."""
    svc = services(request)
    code = request.path_params["code"]
    for session in svc.state.tables.sessions.values():
        if session.short_code == code:
            return RedirectResponse(f"/u/{session.id}", status_code=302)
    raise not_found("Short link")
