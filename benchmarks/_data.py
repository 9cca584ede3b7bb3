"""Test images made on the fly: random bytes behind a valid JPEG header (sniffed as image/jpeg)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

__all__ = ["jpeg_bytes", "jpeg_file", "jpeg_files"]

_CHUNK = 4 * 1024 * 1024


def _header(width: int = 640, height: int = 480) -> bytes:
    """SOI, a JFIF APP0 and a baseline SOF0 segment: enough for any content sniffer."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x01\x03\x11\x01"
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", len(app0) + 2)
        + app0
        + b"\xff\xc0"
        + struct.pack(">H", len(sof0) + 2)
        + sof0
    )


def jpeg_bytes(size: int) -> bytes:
    """A ``size``-byte "JPEG": header, random scan data, EOI."""
    head = _header()
    return head + os.urandom(max(size - len(head) - 2, 0)) + b"\xff\xd9"


def jpeg_file(path: Path, size: int) -> Path:
    """Write a ``size``-byte JPEG to ``path`` in chunks (kept if it already has that size)."""
    if path.exists() and path.stat().st_size == size:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    head = _header()
    left = size - len(head) - 2
    with path.open("wb") as out:
        out.write(head)
        while left > 0:
            n = min(left, _CHUNK)
            out.write(os.urandom(n))
            left -= n
        out.write(b"\xff\xd9")
    return path


def jpeg_files(folder: Path, count: int, size: int) -> list[Path]:
    """``count`` distinct JPEG files of ``size`` bytes under ``folder``."""
    return [jpeg_file(folder / f"img{i:04d}.jpg", size) for i in range(count)]
