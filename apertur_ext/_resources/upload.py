"""``client.upload``: send images into a session, plain or encrypted, as a stream.

The file may be a path, bytes, a binary file object or an iterator of bytes (async iterators
too, on ``AsyncApertur``). It is never read into memory: the multipart body (random boundary,
``Content-Length`` when the size is known) is produced chunk by chunk, and for encrypted
uploads the §4 envelope is encrypted chunk by chunk with an exact precomputed size. Only a body
that can be produced again in full (a path, bytes, a seekable file) is ever re-sent on a retry.
"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import io
import os
import threading
from collections.abc import AsyncIterable, Iterable

import anyio
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from apertur_api.api.upload import upload_image
from apertur_api.models import EncryptionMode, UploadImageBody, UploadResult
from apertur_api.types import File

from .._config import TimeoutArg
from .._crypto import EncryptedSource, PublicKeyInput, load_public_key
from .._exceptions import InvalidInputError
from .._mime import OCTET_STREAM, apeek, detect_mime, peek
from .._multipart import MultipartStream
from .._request import AsyncCore, Call, SyncCore
from .._response import Operation
from .._sources import BodySource, UploadInput, to_source
from . import encryption
from ._base import UNSET, AsyncResource, SyncResource, opt, require_id

__all__ = ["AsyncUpload", "Upload"]

UPLOAD = Operation[UploadResult](upload_image, 201)


def _call(
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
    """The upload call: generated URL and headers, our streaming body instead of ``files=``."""
    if source_name is not None and not isinstance(source_name, str):
        raise InvalidInputError("source must be a string")
    if password is not None and not isinstance(password, str):
        raise InvalidInputError("password must be a string")
    fields = {} if source_name is None else {"source": source_name}
    stream = MultipartStream(source, fields=fields, content_type=content_type)
    placeholder = UploadImageBody(file=File(payload=io.BytesIO()), source=opt(source_name))
    kwargs = UPLOAD.kwargs(
        require_id(uuid, "uuid"),
        body=placeholder,
        x_session_password=opt(password),
        x_aptr_encrypted=EncryptionMode.DEFAULT if encrypted else UNSET,
    )
    return Call(UPLOAD, kwargs, timeout, max_retries, upload=stream)


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


class Upload(SyncResource):
    """Image uploads (``client.upload``)."""

    def __init__(self, core: SyncCore) -> None:
        super().__init__(core)
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
            uuid,
            body,
            content_type=_content_type(mime_type, head, body),
            source_name=source,
            password=password,
            encrypted=False,
            timeout=timeout,
            max_retries=max_retries,
        )
        return self._core.run(call)

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
            uuid,
            body,
            content_type=OCTET_STREAM,
            source_name=source,
            password=password,
            encrypted=True,
            timeout=timeout,
            max_retries=max_retries,
        )
        return self._core.run(call)

    def _key(self, timeout: TimeoutArg) -> RSAPublicKey:
        with self._lock:
            if self._server_key is None:
                pem = self._core.run(encryption.get_server_key(timeout, None)).public_key
                self._server_key = load_public_key(pem)
            return self._server_key


class AsyncUpload(AsyncResource):
    """Image uploads (``client.upload``), async; also accepts async iterators of bytes."""

    def __init__(self, core: AsyncCore) -> None:
        super().__init__(core)
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
            uuid,
            body,
            content_type=_content_type(mime_type, head, body),
            source_name=source,
            password=password,
            encrypted=False,
            timeout=timeout,
            max_retries=max_retries,
        )
        return await self._core.run(call)

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
            uuid,
            body,
            content_type=OCTET_STREAM,
            source_name=source,
            password=password,
            encrypted=True,
            timeout=timeout,
            max_retries=max_retries,
        )
        return await self._core.run(call)

    async def _key(self, timeout: TimeoutArg) -> RSAPublicKey:
        if self._lock is None:
            self._lock = anyio.Lock()
        async with self._lock:
            if self._server_key is None:
                result = await self._core.run(encryption.get_server_key(timeout, None))
                self._server_key = load_public_key(result.public_key)
            return self._server_key
