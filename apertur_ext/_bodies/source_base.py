"""What every upload body source shares: the :class:`BodySource` interface and its sizes.

The sources themselves are in ``sources`` (which re-exports all of this).
"""

from __future__ import annotations

import abc
import os
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import IO, TypeAlias

from .._core.exceptions import InvalidInputError

__all__ = ["ASYNC_READ_SIZE", "CHUNK_SIZE", "DEFAULT_FILENAME", "BodySource", "UploadInput"]

CHUNK_SIZE = 256 * 1024
"""Bytes read per step from a path or a file object, and so per write to the socket: fewer,
larger writes cost less CPU per MiB than httpx's 64 KiB, and a slow link still moves one
within the write timeout (60 s by default: over 4 KiB/s)."""

ASYNC_READ_SIZE = 4 * CHUNK_SIZE
"""Bytes read per worker-thread hop by the async client (then sent in CHUNK_SIZE slices)."""

DEFAULT_FILENAME = "image.jpg"
"""Filename sent when the caller gives none and the input is not a path (as the official SDK)."""

_Chunks: TypeAlias = Iterable[bytes] | AsyncIterable[bytes]
UploadInput: TypeAlias = (
    str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | _Chunks
)
"""Everything :func:`to_source` accepts."""

_EMPTY = "empty upload: the file has no content"
_CONSUMED = (
    "this upload body is a one-shot stream and was already consumed; "
    "pass a path, bytes or a seekable file to allow it to be sent again"
)


class BodySource(abc.ABC):
    """A request body that streams in chunks; ``size`` is None when unknown up front.

    ``filename`` is the name to send in the multipart part (see :func:`filename_for`).
    """

    size: int | None
    replayable: bool
    filename: str = DEFAULT_FILENAME

    @abc.abstractmethod
    def iter_chunks(self) -> Iterator[bytes]:
        """Yield the content from the start; raises if a one-shot source is iterated twice."""

    @abc.abstractmethod
    def aiter_chunks(self) -> AsyncIterator[bytes]:
        """Async twin of :meth:`iter_chunks`."""

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
