"""Recognising an image from its content: MIME type and pixel dimensions.

The declared part ``Content-Type`` and the filename are never trusted; ``allowed_mime_types``
and ``max_image_dimension`` are judged from what :func:`sniff_image` reads here. Supported:
JPEG, PNG, GIF, WebP (VP8, VP8L, VP8X) and HEIC/HEIF (``ispe`` property; every HEIF brand is
reported as ``image/heic``, the contract's only HEIF-family type).
"""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import BinaryIO

import attrs

__all__ = ["EXTENSIONS", "ImageInfo", "sniff_image"]

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
}
"""File extension for each recognised MIME type."""

_HEAD = 64 * 1024
_JPEG_SCAN_LIMIT = 16 * 1024 * 1024
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1"}
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


@attrs.frozen
class ImageInfo:
    """A recognised image: MIME type and, when readable, its size in pixels."""

    mime_type: str
    width: int | None = None
    height: int | None = None


def sniff_image(content: Path | bytes) -> ImageInfo | None:
    """Recognise the image stored at ``content`` (a path) or held in it (bytes); ``None`` when
    it is not a supported image."""
    with content.open("rb") if isinstance(content, Path) else io.BytesIO(content) as handle:
        head = handle.read(_HEAD)
        try:
            return _sniff(head, handle)
        except (struct.error, IndexError, ValueError):
            return None


def _sniff(head: bytes, handle: BinaryIO) -> ImageInfo | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        width, height = struct.unpack(">II", head[16:24]) if head[12:16] == b"IHDR" else (0, 0)
        return ImageInfo("image/png", width or None, height or None)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", head[6:10])
        return ImageInfo("image/gif", width, height)
    if head.startswith(b"\xff\xd8\xff"):
        return _jpeg(handle)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp(head)
    if head[4:8] == b"ftyp":
        return _heif(head)
    return None


def _jpeg(handle: BinaryIO) -> ImageInfo:
    handle.seek(2)
    while True:
        byte = handle.read(1)
        if not byte:
            break
        if byte != b"\xff":
            continue
        marker = handle.read(1)
        while marker == b"\xff":
            marker = handle.read(1)
        if not marker:
            break
        code = marker[0]
        if code in (0xD8, 0x01) or 0xD0 <= code <= 0xD7:
            continue
        if code in (0xD9, 0xDA):
            break
        length_bytes = handle.read(2)
        if len(length_bytes) < 2:
            break
        (length,) = struct.unpack(">H", length_bytes)
        if length < 2 or handle.tell() > _JPEG_SCAN_LIMIT:
            break  # malformed segment length (would loop forever) or no SOF in sight
        if code in _JPEG_SOF:
            data = handle.read(5)
            height, width = struct.unpack(">HH", data[1:5])
            return ImageInfo("image/jpeg", width or None, height or None)
        handle.seek(length - 2, 1)
    return ImageInfo("image/jpeg")


def _webp(head: bytes) -> ImageInfo:
    chunk = head[12:16]
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return ImageInfo("image/webp", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and head[20] == 0x2F:
        (bits,) = struct.unpack("<I", head[21:25])
        return ImageInfo("image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return ImageInfo("image/webp", width, height)
    return ImageInfo("image/webp")


def _heif(head: bytes) -> ImageInfo | None:
    (box_size,) = struct.unpack(">I", head[0:4])
    brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if not brands & (_HEIC_BRANDS | _HEIF_BRANDS):
        return None
    mime = "image/heic"  # the contract's one HEIF-family type (ImageMimeType)
    best = (0, 0)
    start = head.find(b"ispe")
    while start >= 0 and start + 16 <= len(head):
        width, height = struct.unpack(">II", head[start + 8 : start + 16])
        if width * height > best[0] * best[1]:
            best = (width, height)
        start = head.find(b"ispe", start + 4)
    return ImageInfo(mime, best[0] or None, best[1] or None)
