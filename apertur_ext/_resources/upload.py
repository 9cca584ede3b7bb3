"""``client.upload``: send images into a session, plain or encrypted, as a stream; one or many.

A path, bytes, a binary file object or an iterator of bytes (async ones too, on
``AsyncApertur``) is streamed as the ``_bodies`` make it, never read whole; only a body that can
be produced again in full (a path, bytes, a seekable file) is re-sent on a retry. The URL and
headers come from the generated ``upload_image`` endpoint; the stream replaces its ``files=``.
"""

# ruff: noqa: ASYNC109 - per-call ``timeout=`` is part of the API, as on the sync twin.

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from apertur_api.api import upload as generated
from apertur_api.api.encryption import get_server_key
from apertur_api.api.upload import upload_image
from apertur_api.models import EncryptionMode, UploadImageBody, UploadResult
from apertur_api.types import UNSET, File, Requester, given, path_arg

from .._bodies.batch import Batch, BatchProgress, BatchSources, UploadOutcome
from .._bodies.crypto import EncryptedSource, PublicKeyInput, load_public_key
from .._bodies.mime import OCTET_STREAM, detect_mime
from .._bodies.multipart import MultipartStream
from .._bodies.sources import BodySource, CountingSource, UploadInput, apeek, peek, to_source
from .._core.config import TimeoutArg
from .._core.exceptions import AperturError, InvalidInputError
from .._core.request import Call, CoreBase
from .access import AsyncCoreAccess, SyncCoreAccess

__all__ = ["AsyncUpload", "Upload"]

Progress = Callable[[int], object] | None


def _call(
    core: CoreBase,
    uuid: str,
    source: BodySource,
    content_type: str,
    source_name: str | None,
    password: str | None,
    on_progress: Progress,
    key: RSAPublicKey | None,
    options: dict[str, Any],
) -> Call[UploadResult]:
    """The upload call: the generated URL and headers, the stream instead of ``files=``."""
    if not isinstance(content_type, str):
        raise InvalidInputError("mime_type must be a string")
    if source_name is not None and not isinstance(source_name, str):
        raise InvalidInputError("source must be a string")
    if password is not None and not isinstance(password, str):
        raise InvalidInputError("password must be a string")
    if on_progress is not None:
        source = CountingSource(source, on_progress)
    if key is not None:
        source = EncryptedSource(source, key)
    fields = {} if source_name is None else {"source": source_name}
    stream = MultipartStream(source, fields=fields, content_type=content_type)
    placeholder = UploadImageBody(file=File(payload=io.BytesIO()), source=given(source_name))

    def build() -> dict[str, Any]:
        return upload_image._get_kwargs(
            path_arg(uuid, "uuid"),
            body=placeholder,
            x_session_password=given(password),
            x_aptr_encrypted=UNSET if key is None else EncryptionMode.DEFAULT,
        )

    op = upload_image.OPERATION
    return core.call(op, build, upload=stream, upload_headers=stream.headers, **options)


def _sender(upload: Any, uuid: str, encrypt: bool, key: Any, **kw: Any) -> Callable[..., Any]:
    """``send(source, on_progress)``: ``upload.image`` or ``upload.image_encrypted`` with the
    batch's options (each file named as ``image`` names it: a path by its basename)."""
    if not encrypt:
        return lambda item, report: upload.image(uuid, item, on_progress=report, **kw)
    del kw["mime_type"]
    return lambda item, report: upload.image_encrypted(uuid, item, key, on_progress=report, **kw)


class Upload(SyncCoreAccess, generated.Upload):
    """Image uploads (``client.upload``)."""

    _server_key: RSAPublicKey | None = None

    def __init__(self, requester: Requester) -> None:
        super().__init__(requester)
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
        on_progress: Progress = None,
    ) -> UploadResult:
        """Upload one image. ``filename`` defaults to a path's basename, else ``image.jpg``;
        ``mime_type`` to the type detected from the content; ``source`` (e.g. ``gallery``) is
        sent only when given; ``password`` for protected sessions; ``on_progress(bytes_sent)``
        after each chunk of the file goes out (from 0 again if the upload is re-sent)."""
        body = to_source(file, filename=filename, sync=True)
        if not mime_type:
            head, body = peek(body)
            mime_type = detect_mime(head, body.filename)
        options = {"timeout": timeout, "max_retries": max_retries}
        call = _call(
            self._core, uuid, body, mime_type, source, password, on_progress, None, options
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
        on_progress: Progress = None,
    ) -> UploadResult:
        """Encrypt (RSA-OAEP + AES-256-GCM, streamed) and upload one image.

        ``public_key`` is the server's PEM; when omitted it is fetched once and cached. A key
        that is not an RSA key of at least 2048 bits raises :class:`EncryptionKeyError`
        before anything is sent. ``mime_type`` is accepted for compatibility: the server
        detects the type after decrypting. The part is named ``<filename>.enc``.
        ``on_progress`` counts the bytes of the image read for encryption.
        """
        del mime_type
        key = load_public_key(public_key) if public_key is not None else self._key(timeout)
        body = to_source(file, filename=filename, sync=True)
        options = {"timeout": timeout, "max_retries": max_retries}
        call = _call(
            self._core, uuid, body, OCTET_STREAM, source, password, on_progress, key, options
        )
        return self._core.send(call)

    def images(
        self,
        uuid: str,
        sources: BatchSources,
        *,
        concurrency: int = 4,
        on_progress: Callable[[BatchProgress], object] | None = None,
        encrypt: bool = False,
        public_key: PublicKeyInput | None = None,
        mime_type: str | None = None,
        source: str | None = None,
        password: str | None = None,
        stop_on_error: bool = False,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> list[UploadOutcome]:
        """Upload many images, ``concurrency`` (1-32) at a time, each streamed as by
        :meth:`image` (or encrypted as by :meth:`image_encrypted` with ``encrypt=True``).

        ``sources``: a list of paths, bytes or file objects; a directory stands for the regular,
        non-hidden files directly in it, a glob pattern (``photos/**/*.jpg``) for the files it
        matches, both by name. Returns one :class:`UploadOutcome` per source, in order: its
        ``result`` or its ``error`` (:class:`UploadMayHaveBeenStoredError` when it may have been
        stored anyway). A failure does not stop the others unless ``stop_on_error``; an error
        about the key or the session (401, 403, 404, 410) stops the batch, since every image
        would fail alike (the images not tried have neither result nor error).
        ``on_progress(BatchProgress)`` is called as bytes go out and as each image finishes.
        Memory stays bounded (sources are streamed; files are opened one upload at a time).
        """
        batch = Batch(sources, concurrency, on_progress, stop_on_error)
        send = _sender(
            self, uuid, encrypt, public_key, mime_type=mime_type, source=source,
            password=password, timeout=timeout, max_retries=max_retries,
        )  # fmt: skip

        def one(index: int) -> None:
            try:
                if not batch.stopped:
                    batch.finish(index, send(batch.items[index], batch.progress(index)), None)
            except (AperturError, OSError) as exc:
                batch.finish(index, None, exc)
            except BaseException:
                batch.stopped = True
                raise

        with ThreadPoolExecutor(batch.workers, "apertur-upload") as pool:
            try:
                list(pool.map(one, range(len(batch.items))))
            except BaseException:
                batch.stopped = True  # Ctrl-C: nothing new starts, uploads in flight finish
                raise
        return batch.results()

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

    _server_key: RSAPublicKey | None = None
    _lock: anyio.Lock | None = None  # created in the running event loop

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
        on_progress: Progress = None,
    ) -> UploadResult:
        """Upload one image (see :meth:`Upload.image`)."""
        body = to_source(file, filename=filename)
        if not mime_type:
            head, body = await apeek(body)
            mime_type = detect_mime(head, body.filename)
        options = {"timeout": timeout, "max_retries": max_retries}
        call = _call(
            self._core, uuid, body, mime_type, source, password, on_progress, None, options
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
        on_progress: Progress = None,
    ) -> UploadResult:
        """Encrypt and upload one image (see :meth:`Upload.image_encrypted`)."""
        del mime_type
        key = load_public_key(public_key) if public_key is not None else await self._key(timeout)
        body = to_source(file, filename=filename)
        options = {"timeout": timeout, "max_retries": max_retries}
        call = _call(
            self._core, uuid, body, OCTET_STREAM, source, password, on_progress, key, options
        )
        return await self._core.send(call)

    async def images(
        self,
        uuid: str,
        sources: BatchSources,
        *,
        concurrency: int = 4,
        on_progress: Callable[[BatchProgress], object] | None = None,
        encrypt: bool = False,
        public_key: PublicKeyInput | None = None,
        mime_type: str | None = None,
        source: str | None = None,
        password: str | None = None,
        stop_on_error: bool = False,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
    ) -> list[UploadOutcome]:
        """Upload many images, ``concurrency`` at a time (see :meth:`Upload.images`)."""
        batch = Batch(sources, concurrency, on_progress, stop_on_error)
        send = _sender(
            self, uuid, encrypt, public_key, mime_type=mime_type, source=source,
            password=password, timeout=timeout, max_retries=max_retries,
        )  # fmt: skip
        slots = anyio.CapacityLimiter(batch.workers)

        async def one(index: int) -> None:
            async with slots:
                if not batch.stopped:
                    try:
                        result = await send(batch.items[index], batch.progress(index))
                        batch.finish(index, result, None)
                    except (AperturError, OSError) as exc:
                        batch.finish(index, None, exc)

        async with anyio.create_task_group() as tasks:
            for index in range(len(batch.items)):
                tasks.start_soon(one, index)
        return batch.results()

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
