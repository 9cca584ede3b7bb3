"""Pull queue P1-P3 and upload history H1-H3."""

from __future__ import annotations

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from .._errors import bad_request, not_found
from .._json_body import JsonBodyError, parse_json
from .._models import Image
from .._state import AperturState
from . import _parse as p
from ._common import caller, json_response, page_response
from ._views import poll_image_view, upload_row
from .sessions import session_for

__all__ = [
    "ack_image",
    "download_polled_image",
    "download_upload",
    "list_recent_uploads",
    "list_uploads",
    "poll_images",
]


_WHOLE_MAX = 1024 * 1024
"""Blobs up to this size are read in one worker-thread hop and sent whole: streaming them costs
a stat, an open, a read per 64 KiB and a close, each in a worker thread (most of a small
download's server CPU); larger ones are streamed."""


async def _file(state: AperturState, image: Image) -> Response:
    path = state.uploads.blob_path(image)
    if not path.is_file():  # removed behind the server's back (start-up reports these)
        raise not_found("Image file")
    streamed = FileResponse(
        path,
        media_type=image.mime_type,
        filename=image.filename,
        content_disposition_type="inline",
    )
    if image.size_bytes > _WHOLE_MAX:
        return streamed
    data = await anyio.to_thread.run_sync(path.read_bytes)
    disposition = {"content-disposition": streamed.headers["content-disposition"]}
    return Response(data, media_type=image.mime_type, headers=disposition)


async def poll_images(request: Request) -> Response:
    """P1 ``GET …/poll``: unacknowledged images (400 unless the session is long-polling)."""
    svc, _, session = session_for(request)
    images = svc.state.uploads.poll(session)
    return json_response({"images": [poll_image_view(i) for i in images]})


async def download_polled_image(request: Request) -> Response:
    """P2 ``GET …/images/{imageId}``: the bytes, with their MIME type."""
    svc, _, session = session_for(request)
    image = svc.state.uploads.in_session(session, request.path_params["imageId"])
    return await _file(svc.state, image)


async def ack_image(request: Request) -> Response:
    """P3 ``POST …/images/{imageId}/ack``: no body, an empty body, or ``{}``; second ack 409."""
    svc, _, session = session_for(request)
    raw = await p.read_limited(request)
    if raw.strip():
        try:
            body = parse_json(raw)
        except JsonBodyError as exc:
            raise bad_request("ack body must be empty or {}") from exc
        if body != {}:
            raise bad_request("ack body must be empty or {}")
    svc.state.uploads.ack(session, request.path_params["imageId"])
    return json_response({"status": "acknowledged"})


async def list_uploads(request: Request) -> Response:
    """H1 ``GET /api/v1/uploads?page&pageSize``."""
    svc, key = caller(request)
    return page_response(
        request, svc.state.uploads.for_project(key.project_id), lambda i: upload_row(svc.state, i)
    )


async def list_recent_uploads(request: Request) -> Response:
    """H2 ``GET /api/v1/uploads/recent?limit`` (a top-level array)."""
    svc, key = caller(request)
    limit = p.query_int(request, "limit", 10, minimum=1, maximum=50)
    rows = svc.state.uploads.for_project(key.project_id)[:limit]
    return json_response([upload_row(svc.state, i) for i in rows])


async def download_upload(request: Request) -> Response:
    """H3 ``GET /api/v1/uploads/{recordId}/download``."""
    svc, key = caller(request)
    image = svc.state.uploads.record(key.project_id, request.path_params["recordId"])
    return await _file(svc.state, image)
