"""Decrypting an uploaded envelope (RSA-OAEP wrapped AES-256-GCM) from disk to disk, in bounded memory.

Two passes over the stored envelope: the first collects the small fields (``encryptedKey``,
``iv``, ``algorithm`` and PHP-new's ``filename``/``mimeType``/``source``) while skipping
``encryptedData``; the second streams ``encryptedData`` through a base64 decoder into AES-256-GCM,
holding back the trailing 16-byte tag and checking it at the end. Plaintext is written to
``out_path``; the caller only keeps it when :func:`decrypt_envelope` returns.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ._crypto import ServerKey, UnwrapError
from ._json_scan import FlatJsonScanner, JsonScanError

__all__ = ["ALGORITHM", "EnvelopeError", "EnvelopeFields", "PlaintextTooLarge", "decrypt_envelope"]

ALGORITHM = "RSA-OAEP+AES-256-GCM"
"""The only ``algorithm`` value accepted."""

_CHUNK = 256 * 1024
_TAG = 16
_DATA = "encryptedData"
_SMALL_LIMIT = 64 * 1024
_STRIP = b" \t\r\n"
_SPACES = (b" ", b"\t", b"\r", b"\n")


class EnvelopeError(ValueError):
    """The envelope is malformed, was made for another key, or was tampered with."""


class PlaintextTooLarge(EnvelopeError):
    """The decrypted image is larger than allowed."""


@attrs.frozen
class EnvelopeFields:
    """What the envelope said besides the ciphertext, and the plaintext size."""

    size: int
    filename: str | None = None
    mime_type: str | None = None
    source: str | None = None


def _collect_small(path: Path) -> dict[str, str]:
    fields: dict[str, bytearray] = {}
    seen: set[str] = set()

    def on_string(key: str, chunk: bytes) -> None:
        if key == _DATA:
            return
        buf = fields.setdefault(key, bytearray())
        if len(buf) + len(chunk) > _SMALL_LIMIT:
            raise EnvelopeError(f"envelope field {key!r} is too long")
        buf += chunk

    def on_end(key: str) -> None:
        if key in seen:
            raise EnvelopeError(f"envelope field {key!r} appears twice")
        seen.add(key)

    def on_scalar(key: str, text: str) -> None:
        if key in ("encryptedKey", "iv", _DATA, "algorithm"):
            raise EnvelopeError(f"envelope field {key!r} must be a string")

    _scan(path, FlatJsonScanner(on_string, on_end, on_scalar))
    if _DATA not in seen:
        raise EnvelopeError("envelope has no encryptedData")
    return {k: v.decode("utf-8", "replace") for k, v in fields.items()}


def _scan(path: Path, scanner: FlatJsonScanner) -> None:
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                scanner.feed(chunk)
        scanner.close()
    except JsonScanError as exc:
        raise EnvelopeError(f"encrypted upload is not a valid JSON envelope: {exc}") from exc


def _b64(value: str | None, name: str) -> bytes:
    if not value:
        raise EnvelopeError(f"envelope has no {name}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EnvelopeError(f"envelope {name} is not valid base64") from exc


class _Base64Stream:
    """Incremental strict base64 decoding (padding only at the very end)."""

    def __init__(self) -> None:
        self._rest = b""
        self._padded = False

    def feed(self, chunk: bytes) -> bytes:
        if any(space in chunk for space in _SPACES):
            chunk = chunk.translate(None, _STRIP)
        data = self._rest + chunk if self._rest else chunk
        usable = len(data) - len(data) % 4
        self._rest = data[usable:]
        if not usable:
            return b""
        if self._padded:
            raise EnvelopeError("encryptedData has base64 padding before its end")
        block = data[:usable]
        self._padded = block.endswith(b"=")
        try:
            return binascii.a2b_base64(block, strict_mode=True)
        except binascii.Error as exc:
            raise EnvelopeError("encryptedData is not valid base64") from exc

    def close(self) -> None:
        if self._rest:
            raise EnvelopeError("encryptedData base64 length is not a multiple of 4")


def decrypt_envelope(
    path: Path, out_path: Path, server_key: ServerKey, max_plain_bytes: int
) -> EnvelopeFields:
    """Decrypt the envelope stored at ``path`` into ``out_path``; see the module docstring."""
    small = _collect_small(path)
    algorithm = small.get("algorithm")
    if algorithm is not None and algorithm != ALGORITHM:
        raise EnvelopeError(f"unsupported algorithm {algorithm!r}; expected {ALGORITHM!r}")
    try:
        aes_key = server_key.unwrap(_b64(small.get("encryptedKey"), "encryptedKey"))
    except UnwrapError as exc:
        raise EnvelopeError(str(exc)) from exc
    if len(aes_key) != 32:
        raise EnvelopeError("unwrapped key is not a 32-byte AES-256 key")
    iv = _b64(small.get("iv"), "iv")
    if not 8 <= len(iv) <= 128:
        raise EnvelopeError("iv must be 12 bytes (AES-GCM nonce)")
    decryptor = Cipher(algorithms.AES(aes_key), modes.GCM(iv)).decryptor()
    decoder = _Base64Stream()
    tail = bytearray()
    size = 0

    with out_path.open("wb") as out:

        def on_string(key: str, chunk: bytes) -> None:
            nonlocal size
            if key != _DATA:
                return
            tail.extend(decoder.feed(chunk))
            if len(tail) > _TAG:
                ready = bytes(tail[:-_TAG])
                del tail[:-_TAG]
                plain = decryptor.update(ready)
                size += len(plain)
                if size > max_plain_bytes:
                    raise PlaintextTooLarge("decrypted image exceeds the size limit")
                out.write(plain)

        _scan(path, FlatJsonScanner(on_string, lambda key: None, lambda key, text: None))
        decoder.close()
        if len(tail) < _TAG:
            raise EnvelopeError("encryptedData is too short to hold an AES-GCM tag")
        try:
            out.write(decryptor.finalize_with_tag(bytes(tail)))
        except InvalidTag as exc:
            raise EnvelopeError(
                "AES-GCM authentication failed: the envelope was tampered with or the key/iv "
                "do not match"
            ) from exc
    return EnvelopeFields(
        size=size,
        filename=small.get("filename"),
        mime_type=small.get("mimeType"),
        source=small.get("source"),
    )
