"""The ``sessions`` namespace: ``Sessions`` and ``AsyncSessions``, one method per operation"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API.
from __future__ import annotations

import builtins
import datetime
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import Any, overload

from ... import types as _arg
from ...models import (
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
from ...types import (
    UNSET,
    AsyncResource,
    Body,
    DownloadTarget,
    Headers,
    Query,
    SyncResource,
    Timeout,
    Unset,
)
from . import create_session as _create_session
from . import get_delivery_status as _get_delivery_status
from . import get_session as _get_session
from . import get_session_qr as _get_session_qr
from . import list_recent_sessions as _list_recent_sessions
from . import list_sessions as _list_sessions
from . import share_session as _share_session
from . import update_session as _update_session
from . import verify_session_password as _verify_session_password


class Sessions(SyncResource):
    """The ``sessions`` operations (synchronous).

    Every method also takes ``timeout`` (seconds or an ``httpx.Timeout``; default: the client's)
    and ``max_retries`` for this call only, and ``extra_headers``, ``extra_query`` and
    ``extra_body`` for what the API accepts beyond this version of the SDK. Where an argument has
    one of these names, the option is prefixed with ``request_``.
    """

    def create(
        self,
        *,
        destination_ids: Iterable[str] | None = None,
        long_polling: bool | None = None,
        tags: Iterable[str] | None = None,
        expires_in_hours: int | None = None,
        expires_at: str | datetime.datetime | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        password: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> CreateSessionResult:
        """Create an upload session

        Every option is optional; the server applies its defaults to the others.

        Args:
            metadata: Free-form data, echoed in the session's image events.
        """
        return self._requester.run(
            _create_session.OPERATION,
            lambda: _create_session._get_kwargs(
                body=CreateSessionRequest(
                    destination_ids=_arg.items(destination_ids, "destination_ids", (str,)),
                    long_polling=_arg.given(long_polling),
                    tags=_arg.items(tags, "tags", (str,)),
                    expires_in_hours=_arg.given(expires_in_hours),
                    expires_at=_arg.date_time(expires_at, "expires_at"),
                    max_images=_arg.given(max_images),
                    allowed_mime_types=_arg.items(
                        allowed_mime_types, "allowed_mime_types", ImageMimeType
                    ),
                    max_image_dimension=_arg.given(max_image_dimension),
                    password=_arg.given(password),
                    metadata=_arg.model(CreateSessionRequestMetadata, metadata, "metadata"),
                )
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def get(
        self,
        uuid: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> Session:
        """Read a session

        Also callable without an API key: the session id is the credential, as for the upload page
        that a person opens from the session's link. With a key, the session must belong to the
        key's project.
        """
        return self._requester.run(
            _get_session.OPERATION,
            lambda: _get_session._get_kwargs(_arg.path_arg(uuid, "uuid")),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def update(
        self,
        uuid: str,
        *,
        expires_at: str | datetime.datetime | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        max_image_size_mb: int | None = None,
        password: str | Unset | None = UNSET,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> Session:
        """Update a session

        Omitted fields are unchanged; `password` set to null removes the protection.
        """
        return self._requester.run(
            _update_session.OPERATION,
            lambda: _update_session._get_kwargs(
                _arg.path_arg(uuid, "uuid"),
                body=UpdateSessionRequest(
                    expires_at=_arg.date_time(expires_at, "expires_at"),
                    max_images=_arg.given(max_images),
                    allowed_mime_types=_arg.items(
                        allowed_mime_types, "allowed_mime_types", ImageMimeType
                    ),
                    max_image_dimension=_arg.given(max_image_dimension),
                    max_image_size_mb=_arg.given(max_image_size_mb),
                    password=password
                    if password is None or isinstance(password, Unset)
                    else _arg.given(password),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def verify_password(
        self,
        uuid: str,
        password: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> VerifyPasswordResult:
        """Check a session password

        Also callable without an API key (the session id is the credential), as the upload page
        does before it lets a person choose photos.
        """
        return self._requester.run(
            _verify_session_password.OPERATION,
            lambda: _verify_session_password._get_kwargs(
                _arg.path_arg(uuid, "uuid"),
                body=VerifyPasswordRequest(password=_arg.text(password, "password")),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    @overload
    def qr(
        self,
        uuid: str,
        *,
        format: str | None = ...,
        size: int | None = ...,
        style: str | None = ...,
        fg: str | None = ...,
        bg: str | None = ...,
        border_size: int | None = ...,
        border_color: str | None = ...,
        to: None = ...,
        max_bytes: int | None = ...,
        timeout: Timeout = ...,
        max_retries: int | None = ...,
        extra_headers: Headers | None = ...,
        extra_query: Query | None = ...,
        extra_body: Body | None = ...,
    ) -> bytes: ...

    @overload
    def qr(
        self,
        uuid: str,
        *,
        format: str | None = ...,
        size: int | None = ...,
        style: str | None = ...,
        fg: str | None = ...,
        bg: str | None = ...,
        border_size: int | None = ...,
        border_color: str | None = ...,
        to: DownloadTarget,
        max_bytes: int | None = ...,
        timeout: Timeout = ...,
        max_retries: int | None = ...,
        extra_headers: Headers | None = ...,
        extra_query: Query | None = ...,
        extra_body: Body | None = ...,
    ) -> int: ...

    def qr(
        self,
        uuid: str,
        *,
        format: str | None = None,
        size: int | None = None,
        style: str | None = None,
        fg: str | None = None,
        bg: str | None = None,
        border_size: int | None = None,
        border_color: str | None = None,
        to: DownloadTarget | None = None,
        max_bytes: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> bytes | int:
        """The session's QR code as an image

        A PNG, SVG or JPEG image of the session's upload URL.

        Returns the body's bytes, or streams it into ``to`` (a path, written
        atomically, or a binary file object) and returns the number of bytes written.
        ``max_bytes`` bounds the body (say, to the size the API announced for it); a body
        kept in memory is otherwise bounded by the client's ``max_download_bytes``. A body
        past its bound raises ``ResponseTooLargeError``.
        """
        return self._requester.download(
            _get_session_qr.OPERATION,
            lambda: _get_session_qr._get_kwargs(
                _arg.path_arg(uuid, "uuid"),
                format_=_arg.enum_value(QrFormat, format, "format"),
                size=_arg.given(size),
                style=_arg.enum_value(QrStyle, style, "style"),
                fg=_arg.given(fg),
                bg=_arg.given(bg),
                border_size=_arg.given(border_size),
                border_color=_arg.given(border_color),
            ),
            to,
            max_bytes=max_bytes,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def delivery_status(
        self,
        uuid: str,
        *,
        poll_from: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> DeliveryStatus:
        """Per-file, per-destination delivery status (long-poll with pollFrom)

        Without `pollFrom` answers a snapshot at once. With `pollFrom` (the previous `lastChanged`)
        the server holds the request up to about 5 minutes until something changes after the cursor,
        then answers the current snapshot (unchanged on timeout). Allow a read timeout above the
        hold: the client uses 360 s for these calls.
        """
        return self._requester.run(
            _get_delivery_status.OPERATION,
            lambda: _get_delivery_status._get_kwargs(
                _arg.path_arg(uuid, "uuid"), poll_from=_arg.given(poll_from)
            ),
            timeout=timeout,
            max_retries=max_retries,
            long_poll=poll_from is not None,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def share(
        self,
        uuid: str,
        *,
        channel: str,
        recipient: str,
        sms_consent: bool | None = None,
        note: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> ShareSessionResult:
        """Send the upload link by email or SMS

        Args:
            sms_consent: Must be true for sms.
            note: Email only.
        """
        return self._requester.run(
            _share_session.OPERATION,
            lambda: _share_session._get_kwargs(
                _arg.path_arg(uuid, "uuid"),
                body=ShareSessionRequest(
                    channel=_arg.required(
                        _arg.enum_value(ShareChannel, channel, "channel"), "channel"
                    ),
                    recipient=_arg.text(recipient, "recipient"),
                    sms_consent=_arg.given(sms_consent),
                    note=_arg.given(note),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def list(
        self,
        *,
        page: int | None = None,
        page_size: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> SessionsPage:
        """List the project's sessions, one page at a time"""
        return self._requester.run(
            _list_sessions.OPERATION,
            lambda: _list_sessions._get_kwargs(
                page=_arg.given(page), page_size=_arg.given(page_size)
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = 10_000,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> Iterator[SessionRow]:
        """Every row of :meth:`list`, fetching one page (of ``page_size`` rows) at a time as the
        iteration reaches it; a row that comes round again on a later page (rows added meanwhile
        shift the pages) is not repeated.

        ``timeout`` and ``max_retries`` apply to each page's request. The walk ends after the
        last page (``totalPages``) or on an empty page; after ``max_pages`` pages without an
        end, ``InvalidResponseError`` is raised.
        """
        return self._requester.pages(
            lambda number: self.list(
                page=number, page_size=page_size, timeout=timeout, max_retries=max_retries
            ),
            max_pages,
        )

    def recent(
        self,
        *,
        limit: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> builtins.list[SessionRow]:
        """The most recent sessions"""
        return self._requester.run(
            _list_recent_sessions.OPERATION,
            lambda: _list_recent_sessions._get_kwargs(limit=_arg.given(limit)),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


class AsyncSessions(AsyncResource):
    """The ``sessions`` operations (asynchronous; see :class:`Sessions`)."""

    async def create(
        self,
        *,
        destination_ids: Iterable[str] | None = None,
        long_polling: bool | None = None,
        tags: Iterable[str] | None = None,
        expires_in_hours: int | None = None,
        expires_at: str | datetime.datetime | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        password: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> CreateSessionResult:
        """Create an upload session

        Every option is optional; the server applies its defaults to the others.

        Args:
            metadata: Free-form data, echoed in the session's image events.
        """
        return await self._requester.run(
            _create_session.OPERATION,
            lambda: _create_session._get_kwargs(
                body=CreateSessionRequest(
                    destination_ids=_arg.items(destination_ids, "destination_ids", (str,)),
                    long_polling=_arg.given(long_polling),
                    tags=_arg.items(tags, "tags", (str,)),
                    expires_in_hours=_arg.given(expires_in_hours),
                    expires_at=_arg.date_time(expires_at, "expires_at"),
                    max_images=_arg.given(max_images),
                    allowed_mime_types=_arg.items(
                        allowed_mime_types, "allowed_mime_types", ImageMimeType
                    ),
                    max_image_dimension=_arg.given(max_image_dimension),
                    password=_arg.given(password),
                    metadata=_arg.model(CreateSessionRequestMetadata, metadata, "metadata"),
                )
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def get(
        self,
        uuid: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> Session:
        """Read a session

        Also callable without an API key: the session id is the credential, as for the upload page
        that a person opens from the session's link. With a key, the session must belong to the
        key's project.
        """
        return await self._requester.run(
            _get_session.OPERATION,
            lambda: _get_session._get_kwargs(_arg.path_arg(uuid, "uuid")),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def update(
        self,
        uuid: str,
        *,
        expires_at: str | datetime.datetime | None = None,
        max_images: int | None = None,
        allowed_mime_types: Iterable[str] | None = None,
        max_image_dimension: int | None = None,
        max_image_size_mb: int | None = None,
        password: str | Unset | None = UNSET,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> Session:
        """Update a session

        Omitted fields are unchanged; `password` set to null removes the protection.
        """
        return await self._requester.run(
            _update_session.OPERATION,
            lambda: _update_session._get_kwargs(
                _arg.path_arg(uuid, "uuid"),
                body=UpdateSessionRequest(
                    expires_at=_arg.date_time(expires_at, "expires_at"),
                    max_images=_arg.given(max_images),
                    allowed_mime_types=_arg.items(
                        allowed_mime_types, "allowed_mime_types", ImageMimeType
                    ),
                    max_image_dimension=_arg.given(max_image_dimension),
                    max_image_size_mb=_arg.given(max_image_size_mb),
                    password=password
                    if password is None or isinstance(password, Unset)
                    else _arg.given(password),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def verify_password(
        self,
        uuid: str,
        password: str,
        *,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> VerifyPasswordResult:
        """Check a session password

        Also callable without an API key (the session id is the credential), as the upload page
        does before it lets a person choose photos.
        """
        return await self._requester.run(
            _verify_session_password.OPERATION,
            lambda: _verify_session_password._get_kwargs(
                _arg.path_arg(uuid, "uuid"),
                body=VerifyPasswordRequest(password=_arg.text(password, "password")),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    @overload
    async def qr(
        self,
        uuid: str,
        *,
        format: str | None = ...,
        size: int | None = ...,
        style: str | None = ...,
        fg: str | None = ...,
        bg: str | None = ...,
        border_size: int | None = ...,
        border_color: str | None = ...,
        to: None = ...,
        max_bytes: int | None = ...,
        timeout: Timeout = ...,
        max_retries: int | None = ...,
        extra_headers: Headers | None = ...,
        extra_query: Query | None = ...,
        extra_body: Body | None = ...,
    ) -> bytes: ...

    @overload
    async def qr(
        self,
        uuid: str,
        *,
        format: str | None = ...,
        size: int | None = ...,
        style: str | None = ...,
        fg: str | None = ...,
        bg: str | None = ...,
        border_size: int | None = ...,
        border_color: str | None = ...,
        to: DownloadTarget,
        max_bytes: int | None = ...,
        timeout: Timeout = ...,
        max_retries: int | None = ...,
        extra_headers: Headers | None = ...,
        extra_query: Query | None = ...,
        extra_body: Body | None = ...,
    ) -> int: ...

    async def qr(
        self,
        uuid: str,
        *,
        format: str | None = None,
        size: int | None = None,
        style: str | None = None,
        fg: str | None = None,
        bg: str | None = None,
        border_size: int | None = None,
        border_color: str | None = None,
        to: DownloadTarget | None = None,
        max_bytes: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> bytes | int:
        """The session's QR code as an image

        A PNG, SVG or JPEG image of the session's upload URL.

        Returns the body's bytes, or streams it into ``to`` (a path, written
        atomically, or a binary file object) and returns the number of bytes written.
        ``max_bytes`` bounds the body (say, to the size the API announced for it); a body
        kept in memory is otherwise bounded by the client's ``max_download_bytes``. A body
        past its bound raises ``ResponseTooLargeError``.
        """
        return await self._requester.download(
            _get_session_qr.OPERATION,
            lambda: _get_session_qr._get_kwargs(
                _arg.path_arg(uuid, "uuid"),
                format_=_arg.enum_value(QrFormat, format, "format"),
                size=_arg.given(size),
                style=_arg.enum_value(QrStyle, style, "style"),
                fg=_arg.given(fg),
                bg=_arg.given(bg),
                border_size=_arg.given(border_size),
                border_color=_arg.given(border_color),
            ),
            to,
            max_bytes=max_bytes,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def delivery_status(
        self,
        uuid: str,
        *,
        poll_from: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> DeliveryStatus:
        """Per-file, per-destination delivery status (long-poll with pollFrom)

        Without `pollFrom` answers a snapshot at once. With `pollFrom` (the previous `lastChanged`)
        the server holds the request up to about 5 minutes until something changes after the cursor,
        then answers the current snapshot (unchanged on timeout). Allow a read timeout above the
        hold: the client uses 360 s for these calls.
        """
        return await self._requester.run(
            _get_delivery_status.OPERATION,
            lambda: _get_delivery_status._get_kwargs(
                _arg.path_arg(uuid, "uuid"), poll_from=_arg.given(poll_from)
            ),
            timeout=timeout,
            max_retries=max_retries,
            long_poll=poll_from is not None,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def share(
        self,
        uuid: str,
        *,
        channel: str,
        recipient: str,
        sms_consent: bool | None = None,
        note: str | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> ShareSessionResult:
        """Send the upload link by email or SMS

        Args:
            sms_consent: Must be true for sms.
            note: Email only.
        """
        return await self._requester.run(
            _share_session.OPERATION,
            lambda: _share_session._get_kwargs(
                _arg.path_arg(uuid, "uuid"),
                body=ShareSessionRequest(
                    channel=_arg.required(
                        _arg.enum_value(ShareChannel, channel, "channel"), "channel"
                    ),
                    recipient=_arg.text(recipient, "recipient"),
                    sms_consent=_arg.given(sms_consent),
                    note=_arg.given(note),
                ),
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    async def list(
        self,
        *,
        page: int | None = None,
        page_size: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> SessionsPage:
        """List the project's sessions, one page at a time"""
        return await self._requester.run(
            _list_sessions.OPERATION,
            lambda: _list_sessions._get_kwargs(
                page=_arg.given(page), page_size=_arg.given(page_size)
            ),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def list_all(
        self,
        *,
        page_size: int | None = None,
        max_pages: int = 10_000,
        timeout: Timeout = None,
        max_retries: int | None = None,
    ) -> AsyncIterator[SessionRow]:
        """Every row of :meth:`list`, fetching one page (of ``page_size`` rows) at a time as the
        iteration reaches it; a row that comes round again on a later page (rows added meanwhile
        shift the pages) is not repeated.

        ``timeout`` and ``max_retries`` apply to each page's request. The walk ends after the
        last page (``totalPages``) or on an empty page; after ``max_pages`` pages without an
        end, ``InvalidResponseError`` is raised. Iterate with ``async for``.
        """
        return self._requester.pages(
            lambda number: self.list(
                page=number, page_size=page_size, timeout=timeout, max_retries=max_retries
            ),
            max_pages,
        )

    async def recent(
        self,
        *,
        limit: int | None = None,
        timeout: Timeout = None,
        max_retries: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
    ) -> builtins.list[SessionRow]:
        """The most recent sessions"""
        return await self._requester.run(
            _list_recent_sessions.OPERATION,
            lambda: _list_recent_sessions._get_kwargs(limit=_arg.given(limit)),
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )


__all__ = ["AsyncSessions", "Sessions"]
