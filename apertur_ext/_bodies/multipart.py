"""A streaming multipart/form-data body: text fields, then one file part read from a source.

Unlike the generator's default (a fixed boundary ``+++``), the boundary is random, so file
content cannot inject parts. One class serves httpx's sync and async stream protocols, as
``httpx.MultipartStream`` does.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping

import httpx

from .._core.exceptions import InvalidInputError
from .sources import BodySource

__all__ = ["MultipartStream", "format_param", "make_boundary"]

# The framing of a text field and of the file part, each after the "--boundary" line.
_FIELD = b"%s\r\nContent-Disposition: form-data; %s\r\n\r\n%s\r\n"
_FILE = b'%s\r\nContent-Disposition: form-data; name="file"; %s\r\nContent-Type: %s\r\n\r\n'
# WHATWG form encoding of names in Content-Disposition: escape the bytes that end the value.
_ESCAPES = {ord('"'): "%22", ord("\r"): "%0D", ord("\n"): "%0A"}


def make_boundary() -> str:
    """A fresh random boundary (32 hex characters)."""
    return secrets.token_hex(16)


def format_param(name: str, value: str) -> bytes:
    """``name="value"`` for a Content-Disposition header, with quotes and line breaks escaped."""
    return f'{name}="{value.translate(_ESCAPES)}"'.encode()


class MultipartStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """multipart/form-data body with text ``fields`` first, then the part ``file`` (the source).

    ``headers`` carries the Content-Type (with boundary) and a Content-Length when the file size
    is known, else ``Transfer-Encoding: chunked``. ``replayable`` is true iff the file source
    is. The first file chunk is pulled before any byte is yielded, so an empty one-shot source
    fails before the framing goes out.
    """

    def __init__(
        self,
        source: BodySource,
        *,
        fields: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        content_type: str = "application/octet-stream",
        boundary: str | None = None,
    ) -> None:
        self.source, self.replayable = source, source.replayable  # the whole body, for a retry
        self.boundary = boundary or make_boundary()
        if not 1 <= len(self.boundary) <= 70 or not self.boundary.isascii():
            raise InvalidInputError("a multipart boundary is 1..70 ASCII characters")
        if not content_type.isascii() or any(c in content_type for c in "\r\n\x00"):
            raise InvalidInputError(f"invalid content type: {content_type!r}")
        items = fields.items() if isinstance(fields, Mapping) else fields
        dash = b"--" + self.boundary.encode()
        filename = format_param("filename", source.filename)
        self._head = b"".join(
            _FIELD % (dash, format_param("name", name), value.encode()) for name, value in items
        )
        self._head += _FILE % (dash, filename, content_type.encode())
        self._tail = b"\r\n" + dash + b"--\r\n"

    @property
    def content_length(self) -> int | None:
        """Exact body length, or None when the file size is unknown."""
        if self.source.size is None:
            return None
        return len(self._head) + self.source.size + len(self._tail)

    @property
    def headers(self) -> dict[str, str]:
        """Content-Type with the boundary, plus Content-Length or chunked transfer encoding."""
        length = self.content_length
        framing = (
            {"Transfer-Encoding": "chunked"} if length is None else {"Content-Length": str(length)}
        )
        return {"Content-Type": f"multipart/form-data; boundary={self.boundary}", **framing}

    def __iter__(self) -> Iterator[bytes]:
        chunks = self.source.iter_chunks()
        first = next(chunks, b"")  # may raise ("empty upload") before any framing is sent
        yield self._head
        if first:
            yield first
        yield from chunks
        yield self._tail

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks = self.source.aiter_chunks()
        first = await anext(chunks, b"")
        yield self._head
        if first:
            yield first
        async for chunk in chunks:
            yield chunk
        yield self._tail

    def __repr__(self) -> str:
        return f"MultipartStream(source={self.source!r}, boundary={self.boundary!r})"
