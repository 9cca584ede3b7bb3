"""Content sniffing: MIME type and dimensions of JPEG, PNG, GIF, WebP, HEIC."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from localhelpers import make_gif, make_jpeg_header, make_png, make_webp

from apertur_local._jpeg import encode_block_image
from apertur_local._sniff import ImageInfo, sniff_image


def heic(width: int, height: int, brand: bytes = b"heic") -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftyp" + brand + b"\x00\x00\x00\x00" + b"mif1" + brand
    ispe = struct.pack(">I", 20) + b"ispe" + b"\x00\x00\x00\x00" + struct.pack(">II", width, height)
    thumb = struct.pack(">I", 20) + b"ispe" + b"\x00\x00\x00\x00" + struct.pack(">II", 16, 16)
    return ftyp + thumb + ispe


def vp8(width: int, height: int) -> bytes:
    frame = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height)
    chunk = b"VP8 " + struct.pack("<I", len(frame)) + frame
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def vp8l(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    chunk = b"VP8L" + struct.pack("<I", 5) + b"\x2f" + struct.pack("<I", bits)
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def jpeg_with_exif(width: int, height: int) -> bytes:
    exif = b"\xff\xe1" + struct.pack(">H", 70000 % 65536) + b"E" * (70000 % 65536 - 2)
    return make_jpeg_header(width, height)[:2] + exif + make_jpeg_header(width, height)[2:]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (make_png(33, 44), ImageInfo("image/png", 33, 44)),
        (make_jpeg_header(640, 480), ImageInfo("image/jpeg", 640, 480)),
        (jpeg_with_exif(10, 20), ImageInfo("image/jpeg", 10, 20)),
        (encode_block_image([[(0, 0, 0), (255, 255, 255)]]), ImageInfo("image/jpeg", 16, 8)),
        (make_gif(3, 4), ImageInfo("image/gif", 3, 4)),
        (make_webp(10, 20), ImageInfo("image/webp", 10, 20)),
        (vp8(300, 200), ImageInfo("image/webp", 300, 200)),
        (vp8l(5, 6), ImageInfo("image/webp", 5, 6)),
        (heic(4032, 3024), ImageInfo("image/heic", 4032, 3024)),
        (heic(100, 90, b"mif1"), ImageInfo("image/heic", 100, 90)),
        (b"\xff\xd8\xff\xe0", ImageInfo("image/jpeg")),
        (b"\xff\xd8\xff\xe0\x00\x00\xff\xc0", ImageInfo("image/jpeg")),  # length 0: no endless loop
        (b"\xff\xd8\xff\xe0\x00\x01", ImageInfo("image/jpeg")),
    ],
)
def test_recognised(tmp_path: Path, data: bytes, expected: ImageInfo) -> None:
    path = tmp_path / "img"
    path.write_bytes(data)
    assert sniff_image(path) == expected
    assert sniff_image(data) == expected  # the same from bytes held in memory


@pytest.mark.parametrize(
    "data", [b"", b"hello", b"\x89PN", b"RIFF\x00\x00\x00\x00AVI ", b"\x00\x00\x00\x10ftypmp42"]
)
def test_not_images(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x"
    path.write_bytes(data)
    assert sniff_image(path) is None
    assert sniff_image(data) is None
