"""Image type detection for the formats Apertur accepts: magic bytes, then the file extension.

The server re-detects the type itself; the SDK only needs a good part ``Content-Type``, and the
CLI needs to tell which files in a folder are images (:func:`image_type`, public).
"""

from __future__ import annotations

import os

__all__ = ["OCTET_STREAM", "detect_mime", "image_type", "mime_from_filename"]

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
}

# ISO-BMFF brands (the ``ftyp`` box) of the HEIF family.
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1"}


def image_type(head: bytes) -> str | None:
    """The type of the image that starts with ``head`` (32 bytes are enough), when it is one
    Apertur accepts.

    Returns ``image/jpeg``, ``image/png``, ``image/gif``, ``image/webp``, ``image/heic`` or
    ``image/heif`` (an ISO-BMFF file with a HEIF brand); None for anything else, other image
    formats included. Only the content counts, never a file name.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[0:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] != b"ftyp":
        return None
    box_end = min(int.from_bytes(head[0:4], "big"), len(head))
    brands = {head[8:12]} | {head[i : i + 4] for i in range(16, box_end - 3, 4)}
    if brands & _HEIC_BRANDS:
        return "image/heic"
    return "image/heif" if brands & _HEIF_BRANDS else None


def mime_from_filename(filename: str | None) -> str | None:
    """The image type implied by the filename extension (case-insensitive), or None."""
    if not filename:
        return None
    return _BY_EXTENSION.get(os.path.splitext(filename)[1].lower())


def detect_mime(head: bytes, filename: str | None = None) -> str:
    """Magic bytes first, then the extension, else ``image/jpeg`` (the official SDK's default)."""
    return image_type(head) or mime_from_filename(filename) or "image/jpeg"
