"""A tiny baseline JPEG encoder for images made of flat 8x8 blocks (QR codes), no Pillow needed.

When every 8x8 block has a single colour, its DCT has only a DC coefficient, so encoding reduces
to Huffman-coding DC differences followed by an end-of-block. :func:`encode_block_image` takes a
grid of RGB colours, one per block, and writes a baseline (SOF0) 4:4:4 YCbCr JPEG with quantiser 1
(lossless apart from colour conversion) that every decoder reads.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

__all__ = ["RGB", "encode_block_image"]

RGB = tuple[int, int, int]

# Annex K.3 luminance DC table (categories 0-11), used for all three components.
_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_VALUES = tuple(range(12))
# A one-symbol AC table: only end-of-block (0x00), code "0".
_AC_BITS = (1,) + (0,) * 15
_AC_VALUES = (0x00,)


def _huffman_codes(bits: Sequence[int], values: Sequence[int]) -> dict[int, tuple[int, int]]:
    codes: dict[int, tuple[int, int]] = {}
    code, index = 0, 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes[values[index]] = (code, length)
            code += 1
            index += 1
        code <<= 1
    return codes


_DC_CODES = _huffman_codes(_DC_BITS, _DC_VALUES)
_EOB = _huffman_codes(_AC_BITS, _AC_VALUES)[0x00]


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self._acc = 0
        self._count = 0

    def write(self, value: int, length: int) -> None:
        self._acc = (self._acc << length) | (value & ((1 << length) - 1))
        self._count += length
        while self._count >= 8:
            self._count -= 8
            byte = (self._acc >> self._count) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0x00)
        self._acc &= (1 << self._count) - 1

    def flush(self) -> bytes:
        if self._count:
            self.write((1 << (8 - self._count)) - 1, 8 - self._count)
        return bytes(self.out)


def _ycbcr(color: RGB) -> tuple[int, int, int]:
    r, g, b = color
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
    return tuple(min(255, max(0, round(v))) for v in (y, cb, cr))  # type: ignore[return-value]


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


def _header(width: int, height: int) -> bytes:
    jfif = _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    dqt = _segment(0xDB, b"\x00" + b"\x01" * 64)
    components = b"".join(bytes((i, 0x11, 0)) for i in (1, 2, 3))
    sof = _segment(0xC0, struct.pack(">BHHB", 8, height, width, 3) + components)
    dht = _segment(
        0xC4,
        b"\x00"
        + bytes(_DC_BITS)
        + bytes(_DC_VALUES)
        + b"\x10"
        + bytes(_AC_BITS)
        + bytes(_AC_VALUES),
    )
    sos = _segment(0xDA, b"\x03" + b"".join(bytes((i, 0x00)) for i in (1, 2, 3)) + b"\x00\x3f\x00")
    return b"\xff\xd8" + jfif + dqt + sof + dht + sos


def encode_block_image(blocks: Sequence[Sequence[RGB]]) -> bytes:
    """JPEG of a picture whose 8x8 pixel blocks have the colours ``blocks[row][column]``."""
    rows, columns = len(blocks), len(blocks[0]) if blocks else 0
    if not rows or not columns:
        raise ValueError("empty image")
    writer = _BitWriter()
    previous = [0, 0, 0]
    cache: dict[RGB, tuple[int, int, int]] = {}
    for block_row in blocks:
        for color in block_row:
            converted = cache.get(color)
            if converted is None:
                converted = cache[color] = _ycbcr(color)
            for component, value in enumerate(converted):
                dc = 8 * (value - 128)
                diff = dc - previous[component]
                previous[component] = dc
                category = abs(diff).bit_length()
                code, length = _DC_CODES[category]
                writer.write(code, length)
                if category:
                    writer.write(diff if diff > 0 else diff - 1, category)
                writer.write(*_EOB)
    return _header(columns * 8, rows * 8) + writer.flush() + b"\xff\xd9"
