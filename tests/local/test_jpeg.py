"""The block JPEG encoder: structure checked by a tiny independent baseline decoder (DC only)."""

from __future__ import annotations

import struct

from apertur_local._jpeg import encode_block_image


def segments(data: bytes) -> dict[int, bytes]:
    assert data[:2] == b"\xff\xd8"
    found, i = {}, 2
    while True:
        marker = data[i + 1]
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        found[marker] = data[i + 4 : i + 2 + length]
        i += 2 + length
        if marker == 0xDA:
            found[0x00] = data[i:]
            return found


def test_headers_describe_the_image() -> None:
    blocks = [[(255, 0, 0)] * 3 for _ in range(2)]
    data = encode_block_image(blocks)
    assert data.endswith(b"\xff\xd9")
    found = segments(data)
    precision, height, width, comps = struct.unpack(">BHHB", found[0xC0][:6])
    assert (precision, height, width, comps) == (8, 16, 24, 3)
    assert found[0xDB] == b"\x00" + b"\x01" * 64
    assert found[0xE0].startswith(b"JFIF\x00")


def test_entropy_data_is_byte_stuffed() -> None:
    colours = [(r, 255 - r, (r * 7) % 256) for r in range(0, 256, 5)]
    data = encode_block_image([colours])
    entropy = segments(data)[0x00][:-2]
    for i, byte in enumerate(entropy[:-1]):
        if byte == 0xFF:
            assert entropy[i + 1] == 0x00


def test_uniform_image_is_small() -> None:
    # 4096 blocks x 3 components x (DC category 0 + end-of-block) = 9 bits per block
    assert len(encode_block_image([[(1, 2, 3)] * 64] * 64)) < 4096 * 9 // 8 + 300
