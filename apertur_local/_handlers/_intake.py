"""Streaming receipt of a multipart upload body (U1/U2), in memory or straight to a temp file.

The body is read chunk by chunk from ``request.stream()`` through python-multipart's push parser;
the ``source`` part is kept (≤ 1 KiB), other parts are ignored. The ``file`` part is kept in
memory when the body declares a ``Content-Length`` of at most :data:`MEMORY_BODY_LIMIT` and the
server's :class:`MemoryBudget` (:data:`MEMORY_BUDGET` bytes for every upload together) still has
room for it; otherwise it goes to a temp file in the data directory, and memory stays flat
whatever the size. (A small upload then needs no temp file at all: its blob is written once, in
the worker thread that stores it, and the event loop never blocks on creating a file.) Limits
answer 413 as soon as the declared ``Content-Length`` or the running count passes them, without
reading further.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import attrs
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from .._errors import bad_request, payload_too_large
from .._storage import BlobStore

__all__ = [
    "MEMORY_BODY_LIMIT",
    "MEMORY_BUDGET",
    "MemoryBudget",
    "ReceivedUpload",
    "receive_upload",
]

_MAX_FIELD = 1024

MEMORY_BODY_LIMIT = 256 * 1024
"""The largest upload body (declared ``Content-Length``) whose file part is kept in memory.
(Above that, the fresh memory a body needs in one piece costs more than writing it to a temp
file as it comes: a 1 MiB upload took more server CPU in memory than through a file.)"""

MEMORY_BUDGET = 16 * 1024 * 1024
"""Bytes of upload bodies kept in memory at once, all requests together (more go to disk)."""


class MemoryBudget:
    """Bytes that uploads in progress may keep in memory, all together (one per server)."""

    def __init__(self, total: int = MEMORY_BUDGET) -> None:
        self.total = total
        self.used = 0

    def take(self, size: int) -> bool:
        """Reserve ``size`` bytes; False (nothing reserved) when they do not fit."""
        if self.used + size > self.total:
            return False
        self.used += size
        return True

    def give_back(self, size: int) -> None:
        """Return ``size`` bytes reserved by :meth:`take`."""
        self.used -= size


@attrs.define
class ReceivedUpload:
    """What a multipart body contained. The ``file`` part is in ``data`` (kept in memory) or in
    the temp file ``path``; call :meth:`release` once done with it (it removes the temp file
    and returns the memory to the budget)."""

    path: Path | None = None
    data: bytes | None = None
    size: int = 0
    filename: str | None = None
    content_type: str | None = None
    source: str | None = None
    has_file: bool = False
    """Whether the body had a ``file`` part (possibly empty)."""
    reserved: int = 0
    budget: MemoryBudget | None = None

    @property
    def content(self) -> bytes | Path | None:
        """The ``file`` part's bytes or temp file; ``None`` without a ``file`` part."""
        return self.data if self.data is not None else self.path

    def release(self) -> None:
        """Remove the temp file (if any) and give the reserved memory back (idempotent)."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
        self.data = None
        if self.budget is not None:
            self.budget.give_back(self.reserved)
            self.budget, self.reserved = None, 0


class _Collector:
    """python-multipart callbacks keeping the ``file`` part in memory or writing it to disk."""

    def __init__(self, blobs: BlobStore, file_limit: int, in_memory: bool) -> None:
        self.result = ReceivedUpload()
        self.finished = False
        self._blobs = blobs
        self._file_limit = file_limit
        self._in_memory = in_memory
        self._chunks: list[bytes] = []
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._headers: dict[str, bytes] = {}
        self._target: str | None = None
        self._handle: IO[bytes] | None = None
        self._field = bytearray()

    def on_part_begin(self) -> None:
        self._headers, self._target, self._field = {}, None, bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        name = self._header_name.decode("latin-1").strip().lower()
        self._headers[name] = bytes(self._header_value).strip()
        self._header_name, self._header_value = bytearray(), bytearray()

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get("content-disposition", b""))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        if name == "file" and not self.result.has_file:
            self._target = "file"
            self.result.has_file = True
            if not self._in_memory:
                self.result.path = self._blobs.new_temp()
                self._handle = self.result.path.open("wb")
            raw_name = params.get(b"filename")
            self.result.filename = raw_name.decode("utf-8", "replace") if raw_name else None
            ctype = self._headers.get("content-type")
            self.result.content_type = ctype.decode("latin-1") if ctype else None
        elif name == "source":
            self._target = "source"

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._target == "file":
            self.result.size += end - start
            if self.result.size > self._file_limit:
                raise payload_too_large("Uploaded file exceeds the size limit")
            if self._handle is not None:
                self._handle.write(data[start:end])
            else:  # in memory: one copy per chunk, one join at the end
                self._chunks.append(data[start:end])
        elif self._target == "source":
            self._field += data[start:end]
            if len(self._field) > _MAX_FIELD:
                raise bad_request("source is too long")

    def on_part_end(self) -> None:
        if self._target == "file":
            if self._handle is not None:
                self._handle.close()
                self._handle = None
            else:
                self.result.data = b"".join(self._chunks)
                self._chunks = []
        elif self._target == "source":
            self.result.source = self._field.decode("utf-8", "replace")
        self._target = None

    def on_end(self) -> None:
        self.finished = True

    def discard(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self._chunks = []
        self.result.release()


def _boundary(request: Request) -> bytes:
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not params.get(b"boundary"):
        raise bad_request("Upload body must be multipart/form-data with a boundary")
    return params[b"boundary"]


def _declared_length(request: Request) -> int | None:
    raw = request.headers.get("content-length")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise bad_request("Content-Length is not a number") from exc


async def receive_upload(
    request: Request,
    blobs: BlobStore,
    *,
    body_limit: int,
    file_limit: int,
    memory: MemoryBudget | None = None,
) -> ReceivedUpload:
    """Stream the multipart body of ``request`` (the ``file`` part in memory when ``memory``
    has room for it, see the module docstring); the caller must :meth:`~ReceivedUpload.release`
    what it returns."""
    declared = _declared_length(request)
    if declared is not None and declared > body_limit:
        raise payload_too_large(f"Request body of {declared} bytes exceeds the {body_limit} limit")
    boundary = _boundary(request)
    in_memory = (
        memory is not None
        and declared is not None
        and 0 <= declared <= MEMORY_BODY_LIMIT
        and memory.take(declared)
    )
    collector = _Collector(blobs, file_limit, in_memory)
    if in_memory:
        collector.result.budget, collector.result.reserved = memory, declared or 0
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_part_data",
            "on_part_end",
            "on_end",
        )
    }
    received = 0
    try:
        parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
        async for chunk in request.stream():
            received += len(chunk)
            if received > body_limit:
                raise payload_too_large(f"Request body exceeds the {body_limit} byte limit")
            parser.write(chunk)
        parser.finalize()
        if not collector.finished:
            raise bad_request("Multipart body is incomplete (no closing boundary)")
    except ValueError as exc:  # python-multipart's FormParserError family
        collector.discard()
        raise bad_request(f"Malformed multipart body: {exc}") from exc
    except ClientDisconnect as exc:
        collector.discard()
        raise bad_request("Client disconnected during upload") from exc
    except BaseException:  # ApiError, OSError, a body read timeout, cancellation: no temp file left
        collector.discard()
        raise
    return collector.result
