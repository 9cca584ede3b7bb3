"""Image type detection for the formats Apertur accepts: magic bytes, then the file extension.

The server re-detects the type itself; the SDK only needs a good part ``Content-Type``, and the
CLI needs to tell which files in a folder are images (:func:`image_type`, public).
"""

from __future__ import annotations

import os

__all__ = ["OCTET_STREAM", "detect_mime", "image_type"]

OCTET_STREAM = "application/octet-stream"

_BY_EXTENSION = {
    **dict.fromkeys([".jpg", ".jpeg", ".jpe", ".jfif"], "image/jpeg"),
    **dict.fromkeys([".heic", ".heics"], "image/heic"),
    **dict.fromkeys([".heif", ".heifs"], "image/heif"),
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
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


def detect_mime(head: bytes, filename: str | None = None) -> str:
    """The part type: from the magic bytes, else from the filename extension (any case), else
    ``image/jpeg`` (the official SDK's default)."""
    extension = os.path.splitext(filename or "")[1].lower()
    return image_type(head) or _BY_EXTENSION.get(extension) or "image/jpeg"
