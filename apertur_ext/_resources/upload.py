"""``client.upload``: send images into a session, plain or encrypted, as a stream.

The file may be a path, bytes, a binary file object or an iterator of bytes (async iterators
too, on ``AsyncApertur``). It is never read into memory: the multipart body (random boundary,
``Content-Length`` when the size is known) is produced chunk by chunk, and for encrypted
uploads the envelope is encrypted chunk by chunk with an exact precomputed size. Only a body
that can be produced again in full (a path, bytes, a seekable file) is ever re-sent on a retry.
The URL and headers come from the generated ``upload_image`` endpoint; only its ``files=`` body
is replaced by the stream.
"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import io
import os
import threading
from collections.abc import AsyncIterable, Iterable
from typing import Any

import anyio
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from apertur_api.api import upload as generated
from apertur_api.api.encryption import get_server_key
from apertur_api.api.upload import upload_image
from apertur_api.models import EncryptionMode, UploadImageBody, UploadResult
from apertur_api.types import UNSET, AsyncRequester, File, Requester, given, path_arg

from .._bodies.crypto import EncryptedSource, PublicKeyInput, load_public_key
from .._bodies.mime import OCTET_STREAM, apeek, detect_mime, peek
from .._bodies.multipart import MultipartStream
from .._bodies.sources import BodySource, UploadInput, to_source
from .._core.config import TimeoutArg
from .._core.exceptions import InvalidInputError
from .._core.request import Call, CoreBase
from .access import AsyncCoreAccess, SyncCoreAccess

__all__ = ["AsyncUpload", "Upload"]


def _stream(
    source: BodySource, *, content_type: str, source_name: str | None, password: str | None
) -> MultipartStream:
    """The multipart body (the ``source`` field, then the file part), checked before sending."""
    if source_name is not None and not isinstance(source_name, str):
        raise InvalidInputError("source must be a string")
    if password is not None and not isinstance(password, str):
        raise InvalidInputError("password must be a string")
    fields = {} if source_name is None else {"source": source_name}
    return MultipartStream(source, fields=fields, content_type=content_type)


def _call(
    core: CoreBase,
    uuid: str,
    source: BodySource,
    *,
    content_type: str,
    source_name: str | None,
    password: str | None,
    encrypted: bool,
    timeout: TimeoutArg,
    max_retries: int | None,
) -> Call[UploadResult]:
    """The upload call: the generated URL and headers, the stream instead of ``files=``."""
    stream = _stream(source, content_type=content_type, source_name=source_name, password=password)
    placeholder = UploadImageBody(file=File(payload=io.BytesIO()), source=given(source_name))

    def build() -> dict[str, Any]:
        return upload_image._get_kwargs(
            path_arg(uuid, "uuid"),
            body=placeholder,
            x_session_password=given(password),
            x_aptr_encrypted=EncryptionMode.DEFAULT if encrypted else UNSET,
        )

    return core.call(
        upload_image.OPERATION,
        build,
        timeout=timeout,
        max_retries=max_retries,
        upload=stream,
        upload_headers=stream.headers,
    )


def _file_object_name(file: object) -> str | None:
    """A file object's own name (its basename), as the official SDK uses it."""
    if not hasattr(file, "read"):
        return None
    name = getattr(file, "name", None)
    if isinstance(name, bytes):
        name = name.decode("utf-8", errors="replace")
    if not isinstance(name, str) or not name or name.startswith("<"):  # "<stdin>", fd numbers
        return None
    return os.path.basename(name) or None


def _plain_source(file: UploadInput, filename: str | None, *, sync: bool) -> BodySource:
    if sync and isinstance(file, AsyncIterable) and not isinstance(file, Iterable):
        raise InvalidInputError("an async iterator cannot be sent by the synchronous client")
    if filename is not None and not isinstance(filename, str):
        raise InvalidInputError("filename must be a string")
    return to_source(file, filename=filename or _file_object_name(file))


def _content_type(mime_type: str | None, head: bytes, source: BodySource) -> str:
    if mime_type:
        return mime_type
    detected = detect_mime(head, source.filename)
    return "image/jpeg" if detected == OCTET_STREAM else detected  # the official default


class Upload(SyncCoreAccess, generated.Upload):
    """Image uploads (``client.upload``)."""

    def __init__(self, requester: Requester) -> None:
        super().__init__(requester)
        self._server_key: RSAPublicKey | None = None
        self._lock = threading.Lock()

    def image(
        self,
        uuid: str,
        file: UploadInput,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        source: str | None = None,
        password: str | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> UploadResult:
        """Upload one image. ``filename`` defaults to a path's basename, else ``image.jpg``;
        ``mime_type`` to the type detected from the content; ``source`` (e.g. ``gallery``) is
        sent only when given; ``password`` for protected sessions."""
        body = _plain_source(file, filename, sync=True)
        head = b""
        if not mime_type:
            head, body = peek(body)
        call = _call(
            self._core,
            uuid,
            body,
            content_type=_content_type(mime_type, head, body),
            source_name=source,
            password=password,
            encrypted=False,
            timeout=timeout,
            max_retries=max_retries,
        )
        return self._core.send(call)

    def image_encrypted(
        self,
        uuid: str,
        file: UploadInput,
        public_key: PublicKeyInput | None = None,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        source: str | None = None,
        password: str | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> UploadResult:
        """Encrypt (RSA-OAEP + AES-256-GCM, streamed) and upload one image.

        ``public_key`` is the server's PEM; when omitted it is fetched once and cached. A key
        that is not an RSA key of at least 2048 bits raises :class:`EncryptionKeyError`
        before anything is sent. ``mime_type`` is accepted for compatibility: the server
        detects the type after decrypting. The part is named ``<filename>.enc``.
        """
        del mime_type
        key = load_public_key(public_key) if public_key is not None else self._key(timeout)
        body = EncryptedSource(_plain_source(file, filename, sync=True), key)
        call = _call(
            self._core,
            uuid,
            body,
            content_type=OCTET_STREAM,
            source_name=source,
            password=password,
            encrypted=True,
            timeout=timeout,
            max_retries=max_retries,
        )
        return self._core.send(call)

    def _key(self, timeout: TimeoutArg) -> RSAPublicKey:
        with self._lock:
            if self._server_key is None:
                result = self._core.run(
                    get_server_key.OPERATION, get_server_key._get_kwargs, timeout=timeout
                )
                self._server_key = load_public_key(result.public_key)
            return self._server_key


class AsyncUpload(AsyncCoreAccess, generated.AsyncUpload):
    """Image uploads (``client.upload``), async; also accepts async iterators of bytes."""

    def __init__(self, requester: AsyncRequester) -> None:
        super().__init__(requester)
        self._server_key: RSAPublicKey | None = None
        self._lock: anyio.Lock | None = None  # created in the running event loop

    async def image(
        self,
        uuid: str,
        file: UploadInput,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        source: str | None = None,
        password: str | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> UploadResult:
        """Upload one image (see :meth:`Upload.image`)."""
        body = _plain_source(file, filename, sync=False)
        head = b""
        if not mime_type:
            head, body = await apeek(body)
        call = _call(
            self._core,
            uuid,
            body,
            content_type=_content_type(mime_type, head, body),
            source_name=source,
            password=password,
            encrypted=False,
            timeout=timeout,
            max_retries=max_retries,
        )
        return await self._core.send(call)

    async def image_encrypted(
        self,
        uuid: str,
        file: UploadInput,
        public_key: PublicKeyInput | None = None,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        source: str | None = None,
        password: str | None = None,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> UploadResult:
        """Encrypt and upload one image (see :meth:`Upload.image_encrypted`)."""
        del mime_type
        key = load_public_key(public_key) if public_key is not None else await self._key(timeout)
        body = EncryptedSource(_plain_source(file, filename, sync=False), key)
        call = _call(
            self._core,
            uuid,
            body,
            content_type=OCTET_STREAM,
            source_name=source,
            password=password,
            encrypted=True,
            timeout=timeout,
            max_retries=max_retries,
        )
        return await self._core.send(call)

    async def _key(self, timeout: TimeoutArg) -> RSAPublicKey:
        if self._lock is None:
            self._lock = anyio.Lock()
        async with self._lock:
            if self._server_key is None:
                result = await self._core.run(
                    get_server_key.OPERATION, get_server_key._get_kwargs, timeout=timeout
                )
                self._server_key = load_public_key(result.public_key)
            return self._server_key
