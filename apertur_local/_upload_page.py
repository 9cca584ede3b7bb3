"""The upload page a person opens from a session's link (``GET /u/{uuid}``) and its files.

The page is plain HTML, CSS and JavaScript shipped inside the package (``apertur_local/_page``):
no build step, nothing loaded from another site. The HTML names the session and the largest file
the server accepts; everything else the script reads from the session's own routes
(``/api/v1/upload/{uuid}/…``), whose only credential is the session id in the link.

Every answer carries a Content-Security-Policy that allows only this server's own script, style
and API, and ``Referrer-Policy: no-referrer`` (the link is the session's capability: it must not
leak to other sites).
"""

from __future__ import annotations

import functools
import html
from importlib import resources

from starlette.responses import Response

from ._errors import not_found

__all__ = ["ASSET_PATH", "asset_response", "upload_page_response"]

ASSET_PATH = "/assets/upload"
"""URL prefix of the page's static files."""

_ASSETS = {
    "upload.js": "text/javascript; charset=utf-8",
    "upload.css": "text/css; charset=utf-8",
    "icon.svg": "image/svg+xml",
}

_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'"
)
_HEADERS = {
    "Content-Security-Policy": _CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


@functools.cache
def _read(name: str) -> bytes:
    return resources.files(__package__).joinpath("_page", name).read_bytes()


def upload_page_response(
    session_id: str, max_file_bytes: int, *, status_code: int = 200
) -> Response:
    """The page for ``session_id``; the script reads the session's state itself."""
    page = (
        _read("upload.html")
        .decode("utf-8")
        .replace("{{assets}}", ASSET_PATH)
        .replace("{{session}}", html.escape(session_id, quote=True))
        .replace("{{max_bytes}}", str(int(max_file_bytes)))
    )
    headers = {**_HEADERS, "Cache-Control": "no-store"}
    return Response(
        page, status_code=status_code, media_type="text/html; charset=utf-8", headers=headers
    )


def asset_response(name: str) -> Response:
    """One of the page's static files; 404 for any other name."""
    media_type = _ASSETS.get(name)
    if media_type is None:
        raise not_found("File")
    headers = {**_HEADERS, "Cache-Control": "no-cache"}
    return Response(_read(name), media_type=media_type, headers=headers)
