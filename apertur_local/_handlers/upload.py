"""Image upload U1/U2 ``POST /api/v1/upload/{uuid}/images`` (plain or encrypted).

Order of checks: key when sent (401; without one the session id is the capability, see
``sessions.page_session_for``), session (404), expiry (410) / completion (409), password (403; 429
past the session's bound on wrong passwords without a key, see ``_password_attempts``), then
the body is streamed to disk (413 over the limits), decrypted when ``X-Aptr-Encrypted: default``
(400 for a malformed or tampered envelope), recognised from its content (400 if not an image),
and checked against the session's rules (400 type/dimension, 413 size, 409 full).

``source``: any ``[a-z0-9_-]{1,40}`` value except ``sdk`` (which the real API rejects); ``camera``
when absent or empty. The uploaded filename is only metadata: its last path component, printable
characters only, never used to build a path.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from .._envelope import EnvelopeError, EnvelopeFields, PlaintextTooLarge, decrypt_envelope
from .._errors import bad_request, payload_too_large
from .._sniff import EXTENSIONS, ImageInfo
from .._state import AperturState
from .._store_uploads import NewImage
from ._common import json_response
from ._intake import ReceivedUpload, receive_upload
from ._views import upload_result
from .sessions import by_the_page, page_session_for

__all__ = ["clean_filename", "clean_source", "upload_image"]

_SOURCE = re.compile(r"^[a-z0-9_-]{1,40}$")
_MIB = 1024 * 1024


def clean_source(raw: str | None) -> str:
    """Validate the ``source`` part (see the module docstring)."""
    value = (raw or "").strip()
    if not value:
        return "camera"
    if value == "sdk" or not _SOURCE.match(value):
        raise bad_request(
            f"Invalid source {value!r}: use camera, gallery, upload or your app's name "
            "([a-z0-9_-], not 'sdk')"
        )
    return value


def clean_filename(raw: str | None, mime_type: str, *, encrypted: bool = False) -> str:
    """A display filename: last path component, printable, at most 200 characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if encrypted and name.lower().endswith(".enc"):
        name = name[:-4]
    name = name[:200]
    if name in ("", ".", ".."):
        name = f"image.{EXTENSIONS.get(mime_type, 'bin')}"
    return name


def _file_limit(state: AperturState, session_limit_mb: int | None, encrypted: bool) -> int:
    limit = state.config.max_body_bytes
    if session_limit_mb is not None and not encrypted:
        limit = min(limit, session_limit_mb * _MIB)
    return limit


async def _decrypt(
    state: AperturState, received: ReceivedUpload, max_plain: int
) -> tuple[Path, EnvelopeFields]:
    assert received.path is not None
    plain = state.blobs.new_temp()
    try:
        fields = await asyncio.to_thread(
            decrypt_envelope, received.path, plain, state.server_key, max_plain
        )
    except PlaintextTooLarge as exc:
        plain.unlink(missing_ok=True)
        raise payload_too_large(str(exc)) from exc
    except EnvelopeError as exc:
        plain.unlink(missing_ok=True)
        raise bad_request(f"Invalid encrypted upload: {exc}") from exc
    received.path.unlink(missing_ok=True)
    return plain, fields


async def upload_image(request: Request) -> Response:
    """U1/U2."""
    svc, key, session = page_session_for(request)
    state = svc.state
    mode = request.headers.get("x-aptr-encrypted")
    if mode is not None and mode != "default":
        raise bad_request("X-Aptr-Encrypted must be 'default'")
    encrypted = mode is not None
    state.sessions.check_open(session)
    password = request.headers.get("x-session-password")
    state.sessions.check_password(session, password, limited=by_the_page(request))
    size_mb = session.max_image_size_mb
    received = await receive_upload(
        request,
        state.blobs,
        body_limit=state.config.max_body_bytes,
        file_limit=_file_limit(state, size_mb, encrypted),
        memory=None if encrypted else svc.upload_memory,  # an envelope is decrypted from a file
    )
    temp_files: list[Path] = []
    try:
        content = received.content
        if content is None:
            raise bad_request("Multipart body has no 'file' part")
        if received.size == 0:
            raise bad_request("Uploaded file is empty")
        source = clean_source(received.source)
        size, filename = received.size, received.filename
        if encrypted:
            max_plain = min(state.config.max_body_bytes, (size_mb or 1 << 40) * _MIB)
            content, fields = await _decrypt(state, received, max_plain)
            temp_files.append(content)
            size = fields.size
            filename = fields.filename or filename
            if received.source is None and fields.source and _SOURCE.match(fields.source):
                source = fields.source if fields.source != "sdk" else "camera"

        def describe(info: ImageInfo) -> NewImage:
            return NewImage(
                content=content,
                size_bytes=size,
                filename=clean_filename(filename, info.mime_type, encrypted=encrypted),
                mime_type=info.mime_type,
                width=info.width,
                height=info.height,
                source=source,
                is_encrypted=encrypted,
            )

        image = await state.uploads.store(session, key, content, describe)
    finally:
        received.release()
        for temp in temp_files:
            temp.unlink(missing_ok=True)
    return json_response(upload_result(image, session), 201)
