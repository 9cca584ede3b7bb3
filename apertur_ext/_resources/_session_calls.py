"""Request builders of the ``sessions`` namespace, shared by ``Sessions`` and ``AsyncSessions``.

Each function turns the official SDK's keyword arguments into the generated request model and
returns a :class:`Call` built from the generated ``_get_kwargs``; nothing is sent here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from apertur_api.api.sessions import (
    create_session,
    get_delivery_status,
    get_session,
    get_session_qr,
    list_recent_sessions,
    list_sessions,
    share_session,
    update_session,
    verify_session_password,
)
from apertur_api.models import (
    CreateSessionRequest,
    CreateSessionRequestMetadata,
    CreateSessionResult,
    DeliveryStatus,
    ImageMimeType,
    QrFormat,
    QrStyle,
    Session,
    SessionRow,
    SessionsPage,
    ShareChannel,
    ShareSessionRequest,
    ShareSessionResult,
    UpdateSessionRequest,
    VerifyPasswordRequest,
    VerifyPasswordResult,
)
from apertur_api.types import File

from .._config import TimeoutArg
from .._exceptions import InvalidInputError
from .._request import Call
from .._response import Operation
from ._base import (
    UNSET,
    Unset,
    opt,
    require_id,
    to_datetime,
    to_enum,
    to_enums,
    to_mapping_model,
    to_str_list,
)

CREATE = Operation[CreateSessionResult](create_session, 201)
GET = Operation[Session](get_session, 200)
UPDATE = Operation[Session](update_session, 200)
LIST = Operation[SessionsPage](list_sessions, 200)
RECENT = Operation[list[SessionRow]](list_recent_sessions, 200)
QR = Operation[File](get_session_qr, 200)
VERIFY = Operation[VerifyPasswordResult](verify_session_password, 200)
DELIVERY = Operation[DeliveryStatus](get_delivery_status, 200)
SHARE = Operation[ShareSessionResult](share_session, 200)


def _uuid(uuid: str) -> str:
    return require_id(uuid, "uuid")


def create(
    *,
    destination_ids: Iterable[str] | None,
    long_polling: bool | None,
    tags: Iterable[str] | None,
    expires_in_hours: int | None,
    expires_at: str | datetime.datetime | None,
    max_images: int | None,
    allowed_mime_types: Iterable[str] | None,
    max_image_dimension: int | None,
    password: str | None,
    metadata: Mapping[str, Any] | None,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> Call[CreateSessionResult]:
    """``POST /api/v1/upload-sessions``."""
    body = CreateSessionRequest(
        destination_ids=to_str_list(destination_ids, "destination_ids"),
        long_polling=opt(long_polling),
        tags=to_str_list(tags, "tags"),
        expires_in_hours=opt(expires_in_hours),
        expires_at=to_datetime(expires_at, "expires_at"),
        max_images=opt(max_images),
        allowed_mime_types=to_enums(ImageMimeType, allowed_mime_types, "allowed_mime_types"),
        max_image_dimension=opt(max_image_dimension),
        password=opt(password),
        metadata=to_mapping_model(CreateSessionRequestMetadata, metadata, "metadata"),
    )
    return Call(CREATE, CREATE.kwargs(body=body), timeout, max_retries)


def get(uuid: str, timeout: TimeoutArg, max_retries: int | None) -> Call[Session]:
    """``GET /api/v1/upload/{uuid}/session``."""
    return Call(GET, GET.kwargs(_uuid(uuid)), timeout, max_retries)


def update(
    uuid: str,
    *,
    expires_at: str | datetime.datetime | None,
    max_images: int | None,
    allowed_mime_types: Iterable[str] | None,
    max_image_dimension: int | None,
    max_image_size_mb: int | None,
    password: str | Unset | None,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> Call[Session]:
    """``PATCH /api/v1/upload-sessions/{uuid}``; ``password=None`` sends ``null`` (removes it)."""
    if password is not None and not isinstance(password, str | Unset):
        raise InvalidInputError("password must be a string, or None to remove it")
    body = UpdateSessionRequest(
        expires_at=to_datetime(expires_at, "expires_at"),
        max_images=opt(max_images),
        allowed_mime_types=to_enums(ImageMimeType, allowed_mime_types, "allowed_mime_types"),
        max_image_dimension=opt(max_image_dimension),
        max_image_size_mb=opt(max_image_size_mb),
        password=password,
    )
    return Call(UPDATE, UPDATE.kwargs(_uuid(uuid), body=body), timeout, max_retries)


def list_page(
    page: int | None, page_size: int | None, timeout: TimeoutArg, max_retries: int | None
) -> Call[SessionsPage]:
    """``GET /api/v1/sessions?page=&pageSize=``."""
    return Call(LIST, LIST.kwargs(page=opt(page), page_size=opt(page_size)), timeout, max_retries)


def recent(
    limit: int | None, timeout: TimeoutArg, max_retries: int | None
) -> Call[list[SessionRow]]:
    """``GET /api/v1/sessions/recent?limit=``."""
    return Call(RECENT, RECENT.kwargs(limit=opt(limit)), timeout, max_retries)


def qr(
    uuid: str,
    *,
    format: str | None,
    size: int | None,
    style: str | None,
    fg: str | None,
    bg: str | None,
    border_size: int | None,
    border_color: str | None,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> Call[File]:
    """``GET /api/v1/upload-sessions/{uuid}/qr`` (binary; streamed by the caller)."""
    kwargs = QR.kwargs(
        _uuid(uuid),
        format_=to_enum(QrFormat, format, "format"),
        size=opt(size),
        style=to_enum(QrStyle, style, "style"),
        fg=opt(fg),
        bg=opt(bg),
        border_size=opt(border_size),
        border_color=opt(border_color),
    )
    return Call(QR, kwargs, timeout, max_retries)


def verify_password(
    uuid: str, password: str, timeout: TimeoutArg, max_retries: int | None
) -> Call[VerifyPasswordResult]:
    """``POST /api/v1/upload/{uuid}/verify-password``."""
    if not isinstance(password, str):
        raise InvalidInputError("password must be a string")
    body = VerifyPasswordRequest(password=password)
    return Call(VERIFY, VERIFY.kwargs(_uuid(uuid), body=body), timeout, max_retries)


def delivery_status(
    uuid: str, poll_from: str | None, timeout: TimeoutArg, max_retries: int | None
) -> Call[DeliveryStatus]:
    """``GET …/delivery-status[?pollFrom=]``; with a cursor, a long-poll (read timeout 360 s)."""
    if poll_from is not None and not isinstance(poll_from, str):
        raise InvalidInputError("poll_from must be the previous lastChanged string")
    kwargs = DELIVERY.kwargs(_uuid(uuid), poll_from=opt(poll_from))
    return Call(DELIVERY, kwargs, timeout, max_retries, long_poll=poll_from is not None)


def share(
    uuid: str,
    *,
    channel: str,
    recipient: str,
    sms_consent: bool | None,
    note: str | None,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> Call[ShareSessionResult]:
    """``POST /api/v1/upload-sessions/{uuid}/share`` (email or sms)."""
    chosen = to_enum(ShareChannel, channel, "channel")
    if isinstance(chosen, Unset):
        raise InvalidInputError("channel is required ('email' or 'sms')")
    if not isinstance(recipient, str) or not recipient:
        raise InvalidInputError("recipient must be a non-empty string")
    body = ShareSessionRequest(
        channel=chosen, recipient=recipient, sms_consent=opt(sms_consent), note=opt(note)
    )
    return Call(SHARE, SHARE.kwargs(_uuid(uuid), body=body), timeout, max_retries)


__all__ = [
    "CREATE",
    "DELIVERY",
    "GET",
    "LIST",
    "QR",
    "RECENT",
    "SHARE",
    "UNSET",
    "UPDATE",
    "VERIFY",
    "create",
    "delivery_status",
    "get",
    "list_page",
    "qr",
    "recent",
    "share",
    "update",
    "verify_password",
]
