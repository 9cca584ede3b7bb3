"""Tests for apertur_ext._bodies.mime (magic bytes of the types Apertur accepts, extension
fallback) and for peeking at a source without losing bytes (apertur_ext._bodies.sources)."""

from __future__ import annotations

import io
import pathlib
from collections.abc import AsyncIterator, Iterator

import pytest

from apertur_ext import image_type
from apertur_ext._bodies.mime import detect_mime
from apertur_ext._bodies.sources import apeek, peek, to_source
from apertur_ext._core.exceptions import InvalidInputError


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = b"ftyp" + major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (len(body) + 4).to_bytes(4, "big") + body + b"\x00" * 8


HEADS = {
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "image/gif": b"GIF89a\x01\x00\x01\x00",
    "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
}
OTHER_IMAGES = {  # real images of types Apertur does not accept
    "bmp": b"BM\x46\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00",
    "tiff": b"II*\x00\x08\x00\x00\x00",
    "big-endian tiff": b"MM\x00*\x00\x00\x00\x08",
}


@pytest.mark.parametrize(("mime", "head"), HEADS.items())
def test_magic(mime: str, head: bytes) -> None:
    assert image_type(head) == mime


def test_gif87_and_types_apertur_does_not_accept() -> None:
    assert image_type(b"GIF87a") == "image/gif"
    assert [image_type(head) for head in OTHER_IMAGES.values()] == [None] * len(OTHER_IMAGES)


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (ftyp(b"heic", b"mif1", b"heic"), "image/heic"),
        (ftyp(b"heix", b"mif1"), "image/heic"),
        (ftyp(b"avif", b"mif1", b"miaf"), "image/heif"),  # an AVIF is a HEIF file
        (ftyp(b"mif1", b"avif", b"miaf"), "image/heif"),
        (ftyp(b"avif", b"miaf"), None),  # without a HEIF brand, not a type Apertur accepts
        (ftyp(b"mif1", b"miaf", b"heic"), "image/heic"),
        (ftyp(b"mif1", b"miaf"), "image/heif"),
        (ftyp(b"msf1"), "image/heif"),
        (ftyp(b"isom", b"mp41"), None),  # an MP4 video is not an image
    ],
)
def test_iso_bmff_brands(head: bytes, mime: str | None) -> None:
    assert image_type(head) == mime


@pytest.mark.parametrize(
    "head", [b"", b"hello world", b"BMP is not a bitmap header", b"RIFFxxxxWAVE"]
)
def test_unknown_magic(head: bytes) -> None:
    assert image_type(head) is None


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("a.JPG", "image/jpeg"),
        ("a.jpeg", "image/jpeg"),
        ("x/y.png", "image/png"),
        ("a.webp", "image/webp"),
        ("a.gif", "image/gif"),
        ("a.HEIC", "image/heic"),
        ("a.heif", "image/heif"),
        ("a.avif", None),
        ("a.bmp", None),
        ("a.tif", None),
        ("a.txt", None),
        ("noext", None),
        (None, None),
    ],
)
def test_extension_fallback(name: str | None, mime: str | None) -> None:
    assert detect_mime(b"????", name) == (mime or "image/jpeg")


def test_detect_prefers_magic_then_extension_then_jpeg() -> None:
    assert detect_mime(HEADS["image/png"], "photo.jpg") == "image/png"
    assert detect_mime(b"????", "photo.png") == "image/png"
    assert detect_mime(b"????", "notes.txt") == "image/jpeg"  # the official SDK's default
    assert detect_mime(b"????") == "image/jpeg"


# --- peeking ----------------------------------------------------------------------------------

PAYLOAD = HEADS["image/png"] + bytes(200_000)


def drain(chunks: Iterator[bytes]) -> bytes:
    return b"".join(chunks)


def test_peek_replayable_returns_same_source() -> None:
    source = to_source(PAYLOAD)
    head, again = peek(source)
    assert again is source
    assert head == PAYLOAD[:32]
    assert drain(again.iter_chunks()) == PAYLOAD


def test_peek_path_closes_the_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PAYLOAD)
    head, source = peek(to_source(path))  # a leaked handle would fail under filterwarnings=error
    assert detect_mime(head) == "image/png"
    assert drain(source.iter_chunks()) == PAYLOAD


def test_peek_one_shot_keeps_every_byte() -> None:
    tiny = (PAYLOAD[i : i + 5] for i in range(0, 60, 5))  # 5-byte chunks: several are pulled
    rest = iter([PAYLOAD[60:]])
    source = to_source(_chain(tiny, rest))
    head, peeked = peek(source)
    assert head == PAYLOAD[:32]
    assert not peeked.replayable
    assert peeked.filename == source.filename
    assert drain(peeked.iter_chunks()) == PAYLOAD
    with pytest.raises(InvalidInputError, match="one-shot"):
        drain(peeked.iter_chunks())


def test_peek_one_shot_shorter_than_head() -> None:
    head, peeked = peek(to_source(iter([b"GIF89a"])))
    assert head == b"GIF89a"
    assert drain(peeked.iter_chunks()) == b"GIF89a"


def test_peek_non_seekable_file() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self._buf = io.BytesIO(PAYLOAD)

        def readable(self) -> bool:
            return True

        def readinto(self, b: bytearray) -> int:  # type: ignore[override]
            data = self._buf.read(len(b))
            b[: len(data)] = data
            return len(data)

    head, peeked = peek(to_source(Pipe()))
    assert detect_mime(head) == "image/png"
    assert drain(peeked.iter_chunks()) == PAYLOAD


def test_peek_empty_one_shot_raises_before_anything_is_built() -> None:
    with pytest.raises(InvalidInputError, match="empty upload"):
        peek(to_source(iter([b""])))


def test_peek_async_source_synchronously_fails() -> None:
    with pytest.raises(InvalidInputError, match="synchronous"):
        peek(to_source(_agen(PAYLOAD)))


@pytest.mark.anyio
async def test_apeek_async_one_shot() -> None:
    source = to_source(_agen(PAYLOAD[:10], PAYLOAD[10:40], PAYLOAD[40:]))
    head, peeked = await apeek(source)
    assert head == PAYLOAD[:32]
    assert b"".join([c async for c in peeked.aiter_chunks()]) == PAYLOAD
    with pytest.raises(InvalidInputError, match="one-shot"):
        _ = [c async for c in peeked.aiter_chunks()]
    _, fresh = await apeek(to_source(_agen(PAYLOAD)))
    with pytest.raises(InvalidInputError, match="synchronous"):
        drain(fresh.iter_chunks())


@pytest.mark.anyio
async def test_apeek_sync_one_shot_and_replayable() -> None:
    head, peeked = await apeek(to_source(iter([PAYLOAD[:3], PAYLOAD[3:]])))
    assert head == PAYLOAD[:32]
    assert b"".join([c async for c in peeked.aiter_chunks()]) == PAYLOAD
    source = to_source(PAYLOAD)
    head, same = await apeek(source)
    assert same is source
    assert head == PAYLOAD[:32]


@pytest.mark.anyio
async def test_peeked_sync_iterator_through_async_path() -> None:
    _, peeked = peek(to_source(iter([PAYLOAD[:3], PAYLOAD[3:]])))
    assert b"".join([c async for c in peeked.aiter_chunks()]) == PAYLOAD


def _chain(*iterables: Iterator[bytes]) -> Iterator[bytes]:
    for iterable in iterables:
        yield from iterable


async def _agen(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk
