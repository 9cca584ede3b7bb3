"""Small, valid sample images made on the fly for the demo: PNG (RGB) and baseline JPEG (grey).

No imaging library is needed. The PNG is a colour gradient; the JPEG is built from flat 8x8
blocks, which only need DC coefficients, so it is a standard baseline JFIF any decoder reads.
``seed`` varies the picture, so every sample has its own bytes (and SHA-256).
"""

from __future__ import annotations

import struct
import zlib

__all__ = ["make_jpeg", "make_png"]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(width: int = 96, height: int = 64, *, seed: int = 0) -> bytes:
    """An 8-bit RGB PNG with a gradient that depends on ``seed``."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            rows += bytes(
                ((x * 255 // width + seed * 40) % 256, (y * 255 // height) % 256, (seed * 97) % 256)
            )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit, RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _png_chunk(b"IEND", b"")
    )


# Standard luminance DC table (ITU T.81 Annex K.3): code lengths 1..16 and symbols 0..11.
_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_VALUES = tuple(range(12))
# The AC table needs one symbol only: end-of-block (0x00), code "0".
_AC_BITS = (1,) + (0,) * 15
_AC_VALUES = (0,)


def _huffman_codes(bits: tuple[int, ...], values: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    """Canonical codes: symbol -> (code, length)."""
    codes: dict[int, tuple[int, int]] = {}
    code, index = 0, 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes[values[index]] = (code, length)
            code += 1
            index += 1
        code <<= 1
    return codes


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self._acc = 0
        self._n = 0

    def write(self, value: int, length: int) -> None:
        for shift in range(length - 1, -1, -1):
            self._acc = (self._acc << 1) | ((value >> shift) & 1)
            self._n += 1
            if self._n == 8:
                self.out.append(self._acc)
                if self._acc == 0xFF:
                    self.out.append(0)  # byte stuffing
                self._acc, self._n = 0, 0

    def flush(self) -> bytes:
        if self._n:
            self.write((1 << (8 - self._n)) - 1, 8 - self._n)  # pad with one bits
        return bytes(self.out)


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


def make_jpeg(blocks_x: int = 12, blocks_y: int = 8, *, seed: int = 0) -> bytes:
    """A baseline greyscale JPEG of ``8*blocks_x`` x ``8*blocks_y`` flat-shaded blocks."""
    dc_codes = _huffman_codes(_DC_BITS, _DC_VALUES)
    eob_code, eob_len = _huffman_codes(_AC_BITS, _AC_VALUES)[0]
    writer = _BitWriter()
    previous = 0
    for by in range(blocks_y):
        for bx in range(blocks_x):
            grey = (bx * 20 + by * 28 + seed * 53) % 256
            dc = 8 * (grey - 128)  # DC of a flat block (quantiser 1)
            diff, previous = dc - previous, dc
            size = abs(diff).bit_length()
            code, length = dc_codes[size]
            writer.write(code, length)
            if size:
                writer.write(diff if diff > 0 else diff + (1 << size) - 1, size)
            writer.write(eob_code, eob_len)
    width, height = 8 * blocks_x, 8 * blocks_y
    return b"".join(
        (
            b"\xff\xd8",
            _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            _segment(0xDB, b"\x00" + b"\x01" * 64),
            _segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
            _segment(0xC4, b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALUES)),
            _segment(0xC4, b"\x10" + bytes(_AC_BITS) + bytes(_AC_VALUES)),
            _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
            writer.flush(),
            b"\xff\xd9",
        )
    )
