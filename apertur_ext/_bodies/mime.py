"""Image MIME detection from magic bytes, with a filename-extension fallback.

The server re-detects the type itself; the SDK only needs a good part ``Content-Type``. Peeking
at a one-shot source must not lose the bytes it read, so :func:`peek` returns a source that
yields them again.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import anyio.to_thread

from .._core.exceptions import InvalidInputError
from .sources import BodySource, FileObjectSource, PathSource

__all__ = [
    "HEAD_SIZE",
    "OCTET_STREAM",
    "apeek",
    "detect_mime",
    "mime_from_filename",
    "mime_from_magic",
    "peek",
]

HEAD_SIZE = 32
"""Bytes needed to recognise every supported format."""

OCTET_STREAM = "application/octet-stream"

_BY_EXTENSION = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".jfif": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".heic": "image/heic",
    ".heics": "image/heic",
    ".heif": "image/heif",
    ".heifs": "image/heif",
    ".avif": "image/avif",
    ".bmp": "image/bmp",
    ".dib": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}

# ISO-BMFF brands (the ``ftyp`` box) for the HEIF family.
_AVIF_BRANDS = {b"avif", b"avis"}
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1", b"mif2"}


def _bmff_type(head: bytes) -> str | None:
    """Map an ``ftyp`` box (major brand, then compatible brands) to a MIME type."""
    if head[4:8] != b"ftyp":
        return None
    box_end = min(int.from_bytes(head[0:4], "big"), len(head))
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, box_end - 3, 4)]
    for family, mime in ((_AVIF_BRANDS, "image/avif"), (_HEIC_BRANDS, "image/heic")):
        if brands[0] in family:
            return mime
    for family, mime in ((_AVIF_BRANDS, "image/avif"), (_HEIC_BRANDS, "image/heic")):
        if any(brand in family for brand in brands[1:]):
            return mime
    if any(brand in _HEIF_BRANDS for brand in brands):
        return "image/heif"
    return None


def mime_from_magic(head: bytes) -> str | None:
    """The image type announced by the first bytes, or None if unrecognised."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[0:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":  # reserved words are 0
        return "image/bmp"
    return _bmff_type(head)


def mime_from_filename(filename: str | None) -> str | None:
    """The image type implied by the filename extension (case-insensitive), or None."""
    if not filename:
        return None
    return _BY_EXTENSION.get(os.path.splitext(filename)[1].lower())


def detect_mime(head: bytes, filename: str | None = None) -> str:
    """Magic bytes first, then the extension, else ``application/octet-stream``."""
    return mime_from_magic(head) or mime_from_filename(filename) or OCTET_STREAM


class _PeekedSource(BodySource):
    """A one-shot source whose first chunks were already pulled: yields them, then the rest."""

    def __init__(self, inner: BodySource, head: list[bytes], rest: object) -> None:
        self.size = inner.size
        self.replayable = False
        self.filename = inner.filename
        self._head = head
        self._rest = rest
        self._used = False

    def _claim(self) -> list[bytes]:
        if self._used:
            raise InvalidInputError(
                "this upload body is a one-shot stream and was already consumed"
            )
        self._used = True
        return self._head

    def iter_chunks(self) -> Iterator[bytes]:
        yield from self._claim()
        if isinstance(self._rest, Iterator):
            yield from self._rest
        else:
            raise InvalidInputError("an async iterator cannot be sent by the synchronous client")

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        for chunk in self._claim():
            yield chunk
        if isinstance(self._rest, AsyncIterator):
            async for chunk in self._rest:
                yield chunk
        elif isinstance(self._rest, Iterator):
            for chunk in self._rest:
                yield chunk


def peek(source: BodySource, size: int = HEAD_SIZE) -> tuple[bytes, BodySource]:
    """Read up to ``size`` leading bytes; return them and a source that still yields everything.

    A replayable source is read once and returned unchanged; a one-shot source is wrapped so
    the pulled chunks are sent first. Errors of the source (e.g. "empty upload") surface here.
    """
    if isinstance(source, PathSource | FileObjectSource) and source.replayable:
        return source.head(size), source  # only the bytes needed, not a whole chunk
    chunks = source.iter_chunks()
    head: list[bytes] = []
    got = 0
    for chunk in chunks:
        head.append(chunk)
        got += len(chunk)
        if got >= size:
            break
    if source.replayable:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        return b"".join(head)[:size], source
    return b"".join(head)[:size], _PeekedSource(source, head, chunks)


async def apeek(source: BodySource, size: int = HEAD_SIZE) -> tuple[bytes, BodySource]:
    """Async twin of :func:`peek` (works for async one-shot sources too)."""
    if isinstance(source, PathSource | FileObjectSource) and source.replayable:
        return await anyio.to_thread.run_sync(source.head, size), source
    chunks = source.aiter_chunks()
    head: list[bytes] = []
    got = 0
    async for chunk in chunks:
        head.append(chunk)
        got += len(chunk)
        if got >= size:
            break
    if source.replayable:
        aclose = getattr(chunks, "aclose", None)
        if aclose is not None:
            await aclose()
        return b"".join(head)[:size], source
    return b"".join(head)[:size], _PeekedSource(source, head, chunks)
