"""Where a streamed download goes: a path (written atomically) or a binary file object.

A path is written to a temporary file next to it, flushed to disk, then renamed over the
target, so a failed or interrupted download never leaves a truncated file behind. Chunks are
written as they arrive: memory stays bounded whatever the size. The async twins run the
blocking file calls in worker threads.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from typing import IO

import anyio.to_thread

from apertur_api.types import DownloadTarget

from .exceptions import InvalidInputError

__all__ = ["DownloadTarget", "async_write_download", "write_download"]


class _Sink:
    """Writes chunks to a caller's file object (not closed) or atomically to a path."""

    def __init__(self, target: DownloadTarget) -> None:
        self.count = 0
        self._tmp: str | None = None
        self._path: str | None = None
        if isinstance(target, str | os.PathLike):
            self._path = os.path.abspath(os.fspath(target))
            if os.path.isdir(self._path):
                raise InvalidInputError(f"is a directory, not a file: {self._path}")
            folder, name = os.path.split(self._path)
            self._tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.part")
            try:
                self._file: IO[bytes] = open(self._tmp, "xb")  # noqa: SIM115 - closed in commit/abort
            except OSError as exc:
                raise InvalidInputError(f"cannot write {self._path}: {exc.strerror}") from None
        elif isinstance(target, io.TextIOBase):
            raise InvalidInputError("download targets must be opened in binary mode ('wb')")
        elif callable(getattr(target, "write", None)):
            self._file = target
        else:
            raise InvalidInputError(
                f"unsupported download target: {type(target).__name__} (give a path or a file)"
            )

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self.count += len(chunk)

    def commit(self) -> None:
        if self._tmp is None or self._path is None:
            with contextlib.suppress(AttributeError, io.UnsupportedOperation):
                self._file.flush()
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._tmp, self._path)
        self._tmp = None
        _fsync_dir(os.path.dirname(self._path))

    def abort(self) -> None:
        if self._tmp is not None:
            self._file.close()
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            self._tmp = None


def _fsync_dir(folder: str) -> None:
    """Persist the rename itself (best effort: not every platform can open a directory)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_download(chunks: Iterator[bytes], target: DownloadTarget) -> int:
    """Write every chunk to ``target``; returns the number of bytes written."""
    sink = _Sink(target)
    try:
        for chunk in chunks:
            sink.write(chunk)
        sink.commit()
    except BaseException:
        sink.abort()
        raise
    return sink.count


async def async_write_download(chunks: AsyncIterator[bytes], target: DownloadTarget) -> int:
    """Async twin of :func:`write_download` (file calls run in worker threads)."""
    sink = await anyio.to_thread.run_sync(_Sink, target)
    try:
        async for chunk in chunks:
            await anyio.to_thread.run_sync(sink.write, chunk)
        await anyio.to_thread.run_sync(sink.commit)
    except BaseException:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(sink.abort)
        raise
    return sink.count
