"""Upload body sources: one interface over paths, bytes, file objects and (async) iterators.

Every source yields chunks of at most :data:`CHUNK_SIZE` (its own reads) so memory stays bounded,
reports its ``size`` when it is known up front, and says whether it can be produced again
(``replayable``), which the retry layer needs: a body that cannot be rewound is never re-sent.
:func:`peek` reads the first bytes (to tell the image type) without losing them.
"""

from __future__ import annotations

import abc
import io
import itertools
import os
import stat
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import IO, Any, TypeAlias

import anyio.to_thread

from .._core.exceptions import InvalidInputError

__all__ = [
    "ASYNC_READ_SIZE",
    "CHUNK_SIZE",
    "DEFAULT_FILENAME",
    "HEAD_SIZE",
    "BodySource",
    "BytesSource",
    "CountingSource",
    "FileObjectSource",
    "IterableSource",
    "PathSource",
    "UploadInput",
    "apeek",
    "filename_for",
    "peek",
    "to_source",
]

CHUNK_SIZE = 256 * 1024
"""Bytes read per step from a path or a file object, and so per write to the socket: fewer,
larger writes cost less CPU per MiB than httpx's 64 KiB, and a slow link still moves one
within the write timeout (60 s by default: over 4 KiB/s)."""

ASYNC_READ_SIZE = 4 * CHUNK_SIZE
"""Bytes read per worker-thread hop by the async client (then sent in CHUNK_SIZE slices)."""

HEAD_SIZE = 32
"""Leading bytes :func:`peek` reads: enough to recognise every image type Apertur accepts."""

DEFAULT_FILENAME = "image.jpg"
"""Filename sent when the caller gives none and the input names none (as the official SDK)."""

_Chunks: TypeAlias = Iterable[bytes] | AsyncIterable[bytes]
UploadInput: TypeAlias = (
    str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | _Chunks
)
"""Everything :func:`to_source` accepts."""

_SYNC_ONLY = "an async iterator cannot be sent by the synchronous client"
_EMPTY = "empty upload: the file has no content"
_CONSUMED = (
    "this upload body is a one-shot stream and was already consumed; "
    "pass a path, bytes or a seekable file to allow it to be sent again"
)


class BodySource(abc.ABC):
    """A request body that streams in chunks; ``size`` is None when unknown up front;
    ``filename`` is the name to send in the multipart part (see :func:`filename_for`)."""

    size: int | None
    replayable: bool
    filename: str = DEFAULT_FILENAME

    @abc.abstractmethod
    def iter_chunks(self) -> Iterator[bytes]:
        """Yield the content from the start; raises if a one-shot source is iterated twice."""

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        """Async twin of :meth:`iter_chunks` (by default the same chunks: for sources whose
        iteration never blocks)."""
        for chunk in self.iter_chunks():
            yield chunk

    def head(self, size: int) -> bytes:
        """Up to ``size`` leading bytes of a replayable source (its first chunk, cut)."""
        return next(iter(self.iter_chunks()), b"")[:size]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size}, replayable={self.replayable})"


def _as_bytes(chunk: object) -> bytes:
    if isinstance(chunk, bytes):
        return chunk
    if isinstance(chunk, bytearray | memoryview):
        return bytes(chunk)
    raise InvalidInputError(
        f"upload chunks must be bytes, got {type(chunk).__name__} (open files in binary mode 'rb')"
    )


class BytesSource(BodySource):
    """In-memory content; sliced without copying, replayable."""

    replayable = True

    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        try:
            view = memoryview(data).cast("B")
        except TypeError:  # non-contiguous or multi-dimensional view
            view = memoryview(bytes(data))
        if view.nbytes == 0:
            raise InvalidInputError(_EMPTY)
        self._view = view
        self.size = view.nbytes

    def iter_chunks(self) -> Iterator[bytes]:
        for start in range(0, self._view.nbytes, CHUNK_SIZE):
            yield bytes(self._view[start : start + CHUNK_SIZE])

    def head(self, size: int) -> bytes:
        return bytes(self._view[:size])


class _ReadingSource(BodySource):
    """Shared read loop for paths and file objects; subclasses say how to start and stop."""

    @abc.abstractmethod
    def _begin(self) -> IO[bytes]:
        """Return a handle positioned at the start of the content."""

    def _end(self, handle: IO[bytes]) -> None:
        """Release the handle (nothing to do for a caller's file object)."""

    def _blocks(self, handle: IO[bytes], block: int) -> Iterator[tuple[bytes, bool]]:
        """``(data, last)`` per read of up to ``block`` bytes; raises if the size changed."""
        sent = 0
        while True:
            # Near the end of a known size, ask for what is left plus one byte: a file that
            # grew shows in that read, and one that came back short needs no read after it.
            want = block if self.size is None else min(block, self.size - sent + 1)
            try:
                data = _as_bytes(handle.read(want))
            except ValueError as exc:  # e.g. the file object was closed meanwhile
                raise InvalidInputError(f"cannot read {self!r}: {exc}") from None
            sent += len(data)
            last = not data or (sent == self.size and len(data) < want)
            if self.size is not None and (sent > self.size or (last and sent != self.size)):
                raise InvalidInputError(f"{self!r} changed while it was being sent")
            if last and sent == 0:
                raise InvalidInputError(_EMPTY)
            yield data, last
            if last:
                return

    def head(self, size: int) -> bytes:
        handle = self._begin()
        try:
            return next(self._blocks(handle, size))[0]  # one read of only the bytes needed
        finally:
            self._end(handle)

    def iter_chunks(self) -> Iterator[bytes]:
        handle = self._begin()
        try:
            for data, _ in self._blocks(handle, CHUNK_SIZE):
                if data:
                    yield data
        finally:
            self._end(handle)

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        # Reads block; each runs in a worker thread so the event loop stays free, a whole
        # ASYNC_READ_SIZE per thread hop, yielded in CHUNK_SIZE slices.
        handle = await anyio.to_thread.run_sync(self._begin)
        try:
            blocks, last = self._blocks(handle, ASYNC_READ_SIZE), False
            while not last:
                data, last = await anyio.to_thread.run_sync(blocks.__next__)
                for start in range(0, len(data), CHUNK_SIZE):
                    yield data[start : start + CHUNK_SIZE]
        finally:
            self._end(handle)


class PathSource(_ReadingSource):
    """A file on disk, re-opened on every iteration; size from ``stat``."""

    replayable = True

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            raise InvalidInputError(f"file not found: {self.path}") from None
        except OSError as exc:
            raise InvalidInputError(f"cannot read {self.path}: {exc.strerror}") from None
        except ValueError as exc:  # e.g. a NUL character in the path
            raise InvalidInputError(f"invalid file path {self.path!r}: {exc}") from None
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInputError(f"is a directory, not a file: {self.path}")
        if info.st_size == 0:
            raise InvalidInputError(f"{_EMPTY}: {self.path}")
        self.size = info.st_size

    def __repr__(self) -> str:
        return f"PathSource({self.path!r}, size={self.size})"

    def _begin(self) -> IO[bytes]:
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise InvalidInputError(f"cannot read {self.path}: {exc.strerror}") from None

    def _end(self, handle: IO[bytes]) -> None:
        handle.close()


class FileObjectSource(_ReadingSource):
    """A binary file object: seekable ones replay from the recorded start, others are one-shot."""

    def __init__(self, fileobj: IO[bytes]) -> None:
        if isinstance(fileobj, io.TextIOBase):
            raise InvalidInputError("file objects must be opened in binary mode ('rb')")
        if getattr(fileobj, "closed", False) is True:
            raise InvalidInputError("the file object is closed")
        self._file, self._started, self.size = fileobj, False, None
        try:
            self._start = fileobj.tell() if fileobj.seekable() else None
        except (AttributeError, OSError, ValueError):
            self._start = None
        self.replayable = self._start is not None
        if self._start is not None:
            end = fileobj.seek(0, io.SEEK_END)
            fileobj.seek(self._start)
            if end <= self._start:
                raise InvalidInputError(_EMPTY)
            self.size = end - self._start

    def _begin(self) -> IO[bytes]:
        if self._start is not None:
            self._file.seek(self._start)
        elif self._started:
            raise InvalidInputError(_CONSUMED)
        self._started = True
        return self._file


class IterableSource(BodySource):
    """An iterable of bytes, or an async one: one-shot, size unknown."""

    size = None
    replayable = False

    def __init__(self, chunks: _Chunks, filename: str = DEFAULT_FILENAME) -> None:
        self._chunks, self._started, self.filename = chunks, False, filename

    def _claim(self) -> None:
        # Runs on the first pull, not when the generator is created, so peeking stays possible.
        if self._started:
            raise InvalidInputError(_CONSUMED)
        self._started = True

    def iter_chunks(self) -> Iterator[bytes]:
        if not isinstance(self._chunks, Iterable):
            raise InvalidInputError(_SYNC_ONLY)
        self._claim()
        empty = True
        for raw in self._chunks:
            if chunk := _as_bytes(raw):
                empty = False
                yield chunk
        if empty:
            raise InvalidInputError(_EMPTY)

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        if not isinstance(self._chunks, AsyncIterable):
            for chunk in self.iter_chunks():
                yield chunk
            return
        self._claim()
        empty = True
        async for raw in self._chunks:
            if chunk := _as_bytes(raw):
                empty = False
                yield chunk
        if empty:
            raise InvalidInputError(_EMPTY)


class CountingSource(BodySource):
    """Another source's content, telling ``report`` how many bytes were sent so far after each
    chunk went out (from 0 again when the body is produced again for a retry)."""

    def __init__(self, inner: BodySource, report: Callable[[int], object]) -> None:
        self._inner, self._report = inner, report
        self.size, self.replayable, self.filename = inner.size, inner.replayable, inner.filename

    def iter_chunks(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self._inner.iter_chunks():
            yield chunk
            sent += len(chunk)
            self._report(sent)

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        sent = 0
        async for chunk in self._inner.aiter_chunks():
            yield chunk
            sent += len(chunk)
            self._report(sent)


def to_source(value: UploadInput, *, filename: str | None = None, sync: bool = False) -> BodySource:
    """Wrap an upload input in the matching :class:`BodySource`; nothing is read yet.

    str/PathLike are paths; bytes-likes are content; objects with ``read`` are file objects;
    other (async) iterables are one-shot streams (async ones refused when ``sync``). Empty
    content raises :class:`InvalidInputError` ("empty upload") here, or for one-shot streams on
    the first pull. The source's ``filename`` follows :func:`filename_for`.
    """
    if filename is not None and not isinstance(filename, str):
        raise InvalidInputError("filename must be a string")
    made: BodySource
    item: Any = value  # narrowed by the checks below, in order
    if isinstance(item, str | os.PathLike):
        made = PathSource(item)
    elif isinstance(item, bytes | bytearray | memoryview):
        made = BytesSource(item)
    elif hasattr(item, "read"):
        made = FileObjectSource(item)
    elif sync and isinstance(item, AsyncIterable) and not isinstance(item, Iterable):
        raise InvalidInputError(_SYNC_ONLY)
    elif isinstance(item, Iterable | AsyncIterable):
        made = IterableSource(item)
    else:
        raise InvalidInputError(f"unsupported upload type: {type(item).__name__}")
    made.filename = filename_for(value, filename)
    return made


def filename_for(value: object, filename: str | None = None) -> str:
    """The part filename: explicit ``filename`` wins, else the basename of a path or of a file
    object's own ``name`` (as the official SDK), else image.jpg."""
    if filename:
        return filename
    name = os.fspath(value) if isinstance(value, str | os.PathLike) else None
    if hasattr(value, "read"):
        name = getattr(value, "name", None)
        if isinstance(name, bytes):
            name = name.decode("utf-8", errors="replace")
        if isinstance(name, str) and name.startswith("<"):  # "<stdin>"; fd numbers are ints
            name = None
    return (os.path.basename(name) if isinstance(name, str) else "") or DEFAULT_FILENAME


def peek(source: BodySource, size: int = HEAD_SIZE) -> tuple[bytes, BodySource]:
    """Read up to ``size`` leading bytes; return them and a source that still yields everything.

    A replayable source is read on its own and returned unchanged; a one-shot source becomes a
    new one-shot source that yields the pulled chunks first. Errors of the source (e.g. "empty
    upload") surface here, before any request is made.
    """
    if source.replayable:
        return source.head(size), source
    chunks = source.iter_chunks()
    pulled = []
    for chunk in chunks:
        pulled.append(chunk)
        if sum(map(len, pulled)) >= size:
            break
    return b"".join(pulled)[:size], IterableSource(itertools.chain(pulled, chunks), source.filename)


async def apeek(source: BodySource, size: int = HEAD_SIZE) -> tuple[bytes, BodySource]:
    """Async twin of :func:`peek` (files are read in a worker thread)."""
    if isinstance(source, _ReadingSource) and source.replayable:
        return await anyio.to_thread.run_sync(source.head, size), source
    if source.replayable:
        return source.head(size), source
    chunks = source.aiter_chunks()
    pulled = []
    async for chunk in chunks:
        pulled.append(chunk)
        if sum(map(len, pulled)) >= size:
            break
    return b"".join(pulled)[:size], IterableSource(_achain(pulled, chunks), source.filename)


async def _achain(first: list[bytes], rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in first:
        yield chunk
    async for chunk in rest:
        yield chunk
