"""Upload body sources: one interface over paths, bytes, file objects and iterators.

Every source yields chunks of at most :data:`CHUNK_SIZE` (its own reads) so memory stays bounded,
reports its ``size`` when it is known up front, and says whether it can be iterated again
(``replayable``), which the retry layer needs: a body that cannot be rewound is never re-sent.
"""

from __future__ import annotations

import abc
import io
import os
import stat
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import IO, Any

import anyio.to_thread

from .._core.exceptions import InvalidInputError
from .source_base import (
    _CONSUMED,
    _EMPTY,
    ASYNC_READ_SIZE,
    CHUNK_SIZE,
    DEFAULT_FILENAME,
    BodySource,
    UploadInput,
    _as_bytes,
)

__all__ = [
    "ASYNC_READ_SIZE",
    "CHUNK_SIZE",
    "DEFAULT_FILENAME",
    "BodySource",
    "BytesSource",
    "CountingSource",
    "FileObjectSource",
    "IterableSource",
    "PathSource",
    "UploadInput",
    "filename_for",
    "to_source",
]


class BytesSource(BodySource):
    """In-memory content; sliced without copying, replayable."""

    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        try:
            view = memoryview(data).cast("B")
        except TypeError:  # non-contiguous or multi-dimensional view
            view = memoryview(bytes(data))
        if view.nbytes == 0:
            raise InvalidInputError(_EMPTY)
        self._view = view
        self.size = view.nbytes
        self.replayable = True

    def iter_chunks(self) -> Iterator[bytes]:
        for start in range(0, self.size or 0, CHUNK_SIZE):
            yield bytes(self._view[start : start + CHUNK_SIZE])

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        for chunk in self.iter_chunks():
            yield chunk


class _ReadingSource(BodySource):
    """Shared read loop for paths and file objects; subclasses say how to start and stop."""

    @abc.abstractmethod
    def _begin(self) -> IO[bytes]:
        """Return a handle positioned at the start of the content."""

    def _end(self, handle: IO[bytes]) -> None:
        """Release the handle (nothing to do for a caller's file object)."""

    def _want(self, sent: int, block: int) -> int:
        # Up to a block; near the end of a known size, what is left plus one byte: a file that
        # grew shows in that read, and one that came back short needs no read after it.
        return block if self.size is None else min(block, self.size - sent + 1)

    def _check(self, sent: int, done: bool) -> None:
        if self.size is not None and (sent > self.size or (done and sent != self.size)):
            raise InvalidInputError(f"{self!r} changed while it was being sent")
        if done and sent == 0:
            raise InvalidInputError(_EMPTY)

    def head(self, size: int) -> bytes:
        """Up to ``size`` leading bytes, read on their own (replayable sources only)."""
        handle = self._begin()
        try:
            parts: list[bytes] = []
            got = 0
            while got < size and (part := _as_bytes(handle.read(size - got))):
                parts.append(part)
                got += len(part)
            return b"".join(parts)
        finally:
            self._end(handle)

    def iter_chunks(self) -> Iterator[bytes]:
        handle = self._begin()
        try:
            sent = 0
            while chunk := _as_bytes(handle.read(want := self._want(sent, CHUNK_SIZE))):
                sent += len(chunk)
                self._check(sent, False)
                yield chunk
                if sent == self.size and len(chunk) < want:
                    break  # the read that asked one byte past the end came back short
            self._check(sent, True)
        finally:
            self._end(handle)

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        # Reads block; each runs in a worker thread so the event loop stays free, a whole
        # ASYNC_READ_SIZE per thread hop, yielded in CHUNK_SIZE slices.
        handle = await anyio.to_thread.run_sync(self._begin)
        try:
            sent = 0
            while True:
                want = self._want(sent, ASYNC_READ_SIZE)
                block = _as_bytes(await anyio.to_thread.run_sync(handle.read, want))
                if not block:
                    break
                sent += len(block)
                self._check(sent, False)
                for start in range(0, len(block), CHUNK_SIZE):
                    yield block if len(block) <= CHUNK_SIZE else block[start : start + CHUNK_SIZE]
                if sent == self.size and len(block) < want:
                    break  # the read that asked one byte past the end came back short
            self._check(sent, True)
        finally:
            self._end(handle)


class PathSource(_ReadingSource):
    """A file on disk, re-opened on every iteration; size from ``stat``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            raise InvalidInputError(f"file not found: {self.path}") from None
        except OSError as exc:
            raise InvalidInputError(f"cannot read {self.path}: {exc.strerror}") from None
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInputError(f"is a directory, not a file: {self.path}")
        if info.st_size == 0:
            raise InvalidInputError(f"{_EMPTY}: {self.path}")
        self.size = info.st_size
        self.replayable = True

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
        self._file = fileobj
        self._start: int | None = None
        self._started = False
        self.size = None
        self.replayable = False
        if _is_seekable(fileobj):
            start = fileobj.tell()
            end = fileobj.seek(0, io.SEEK_END)
            fileobj.seek(start)
            if end <= start:
                raise InvalidInputError(_EMPTY)
            self._start = start
            self.size = end - start
            self.replayable = True

    def _begin(self) -> IO[bytes]:
        if self._start is not None:
            self._file.seek(self._start)
        elif self._started:
            raise InvalidInputError(_CONSUMED)
        self._started = True
        return self._file


def _is_seekable(fileobj: IO[bytes]) -> bool:
    try:
        if not fileobj.seekable():
            return False
        fileobj.tell()
    except (AttributeError, OSError, ValueError):
        return False
    return True


class IterableSource(BodySource):
    """An iterator/iterable of bytes, or an async one: one-shot, size unknown."""

    def __init__(self, chunks: Iterable[bytes] | AsyncIterable[bytes]) -> None:
        self._chunks = chunks
        self._started = False
        self.size = None
        self.replayable = False

    def _claim(self) -> None:
        # Runs on the first pull, not when the generator is created, so peeking stays possible.
        if self._started:
            raise InvalidInputError(_CONSUMED)
        self._started = True

    def iter_chunks(self) -> Iterator[bytes]:
        if not isinstance(self._chunks, Iterable):
            raise InvalidInputError("an async iterator cannot be sent by the synchronous client")
        self._claim()
        empty = True
        for raw in self._chunks:
            if chunk := _as_bytes(raw):
                empty = False
                yield chunk
        if empty:
            raise InvalidInputError(_EMPTY)

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        self._claim()
        chunks = self._chunks
        empty = True
        async for raw in chunks if isinstance(chunks, AsyncIterable) else _to_async(chunks):
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


async def _to_async(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def to_source(value: UploadInput | BodySource, *, filename: str | None = None) -> BodySource:
    """Wrap an upload input in the matching :class:`BodySource`; nothing is read yet.

    str/PathLike are paths; bytes-likes are content; objects with ``read`` are file objects;
    other (async) iterables are one-shot streams. Empty content raises
    :class:`InvalidInputError` ("empty upload") here, or for one-shot streams on the first pull.
    The source's ``filename`` follows :func:`filename_for`; a given BodySource is returned as
    is (its ``filename`` replaced only when ``filename`` is passed).
    """
    if isinstance(value, BodySource):
        if filename:
            value.filename = filename
        return value
    source = _make_source(value)
    source.filename = filename_for(value, filename)
    return source


def _make_source(value: UploadInput) -> BodySource:
    source: Any = value
    if isinstance(source, str | os.PathLike):
        return PathSource(source)
    if isinstance(source, bytes | bytearray | memoryview):
        return BytesSource(source)
    if hasattr(source, "read"):
        return FileObjectSource(source)
    if isinstance(source, Iterable | AsyncIterable):
        return IterableSource(source)
    raise InvalidInputError(f"unsupported upload type: {type(source).__name__}")


def filename_for(value: object, filename: str | None = None) -> str:
    """The part filename: explicit ``filename`` wins, else a path's basename, else image.jpg."""
    if filename:
        return filename
    if isinstance(value, str | os.PathLike):
        base = os.path.basename(os.fspath(value))
        if isinstance(base, str) and base:
            return base
    return DEFAULT_FILENAME
