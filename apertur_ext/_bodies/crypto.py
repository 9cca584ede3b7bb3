"""The encrypted-upload envelope (RSA-OAEP wrapped AES-256-GCM), produced as a stream.

The envelope is the UTF-8 JSON object
``{"encryptedKey": b64(RSA-OAEP(aes_key)), "iv": b64(iv), "encryptedData": b64(ct || tag),
"algorithm": "RSA-OAEP+AES-256-GCM"}`` with a fresh 32-byte AES-256-GCM key and 12-byte IV per
image, OAEP with SHA-256/MGF1-SHA-256 and no label, standard padded base64 without line breaks.
:class:`EncryptedSource` writes it chunk by chunk, so a large image never sits in memory, and
its exact size is known up front whenever the plaintext size is.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import AsyncIterator, Iterator
from typing import cast

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from apertur_api.models.server_key import ServerKey

from .._core.exceptions import EncryptionKeyError
from .sources import BodySource, BytesSource

__all__ = [
    "ALGORITHM",
    "MIN_KEY_BITS",
    "EncryptedSource",
    "EnvelopeEncoder",
    "PublicKeyInput",
    "encrypt_image",
    "envelope_size",
    "load_public_key",
]

ALGORITHM = "RSA-OAEP+AES-256-GCM"
MIN_KEY_BITS = 2048
_AES_KEY_BYTES = 32
_IV_BYTES = 12
_TAG_BYTES = 16
_PIECE = 3 * 16 * 1024
"""Plaintext bytes encrypted and base64-encoded in one step: a multiple of 3 (a whole piece
leaves no bytes to carry), small enough for its ciphertext and text to stay in the CPU cache.
Encoding a 256 KiB chunk in 48 KiB pieces takes about a third less CPU than in one go."""

_PREFIX_KEY = b'{"encryptedKey":"'
_PREFIX_IV = b'","iv":"'
_PREFIX_DATA = b'","encryptedData":"'
_SUFFIX = b'","algorithm":"' + ALGORITHM.encode() + b'"}'

PublicKeyInput = str | bytes | rsa.RSAPublicKey | ServerKey
"""A PEM (SPKI ``BEGIN PUBLIC KEY`` or PKCS#1 ``BEGIN RSA PUBLIC KEY``), a loaded RSA key, or the
:class:`ServerKey` that ``client.encryption.get_server_key()`` returns."""


def _oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def load_public_key(pem: PublicKeyInput) -> rsa.RSAPublicKey:
    """Load and check the server's public key; :class:`EncryptionKeyError` if unusable.

    Rejects anything that is not a PEM public key, non-RSA keys (e.g. EC) and RSA keys shorter
    than 2048 bits, before any request is made.
    """
    if isinstance(pem, ServerKey):
        pem = pem.public_key
    if isinstance(pem, rsa.RSAPublicKey):
        key = pem
    elif not isinstance(pem, str | bytes | bytearray | memoryview):
        raise EncryptionKeyError(
            "the public key must be a PEM (str or bytes), an RSA public key or a ServerKey, "
            f"not {type(pem).__name__}"
        )
    else:
        try:
            data = pem.encode("ascii") if isinstance(pem, str) else bytes(pem)
        except UnicodeEncodeError:
            raise EncryptionKeyError("the public key is not a PEM (non-ASCII text)") from None
        if b"\\n" in data and b"\n" not in data.strip():  # newlines escaped, e.g. in an env var
            data = data.replace(b"\\n", b"\n")
        try:
            loaded = serialization.load_pem_public_key(data.strip())
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise EncryptionKeyError(
                "the public key is not a PEM public key "
                "(expected 'BEGIN PUBLIC KEY' or 'BEGIN RSA PUBLIC KEY')"
            ) from None
        if not isinstance(loaded, rsa.RSAPublicKey):
            raise EncryptionKeyError(
                f"the public key is not an RSA key ({type(loaded).__name__.lstrip('_')})"
            )
        key = loaded
    if key.key_size < MIN_KEY_BITS:
        raise EncryptionKeyError(
            f"the RSA public key has {key.key_size} bits; at least {MIN_KEY_BITS} are required"
        )
    return key


def envelope_size(plaintext_size: int, key_bits: int) -> int:
    """Exact byte length of the envelope for ``plaintext_size`` bytes and an RSA key size."""
    framing = len(_PREFIX_KEY + _PREFIX_IV + _PREFIX_DATA + _SUFFIX)
    wrapped_key = (key_bits + 7) // 8  # an RSA ciphertext is exactly the modulus size
    encoded = (wrapped_key, _IV_BYTES, plaintext_size + _TAG_BYTES)
    return framing + sum(4 * ((n + 2) // 3) for n in encoded)  # padded base64 of each


class EnvelopeEncoder:
    """One envelope's state: fresh AES key and IV, GCM encryptor, base64 carry-over.

    No I/O, so the sync and async streams share it: ``start``, then ``update()`` per plaintext
    chunk, then ``finish()``; the concatenated outputs are the envelope.
    """

    def __init__(self, public_key: rsa.RSAPublicKey) -> None:
        aes_key, iv = os.urandom(_AES_KEY_BYTES), os.urandom(_IV_BYTES)
        wrapped = public_key.encrypt(aes_key, _oaep())
        self.start = b"".join(
            (_PREFIX_KEY, base64.b64encode(wrapped), _PREFIX_IV, base64.b64encode(iv), _PREFIX_DATA)
        )  # the JSON up to the opening quote of ``encryptedData``
        self._encryptor = Cipher(algorithms.AES(aes_key), modes.GCM(iv)).encryptor()
        self._carry = b""  # < 3 bytes of ciphertext not yet base64-encoded

    def update(self, chunk: bytes) -> bytes:
        """Encrypt one plaintext chunk; returns base64 text (possibly empty)."""
        encrypt, view, carry = self._encryptor.update, memoryview(chunk), self._carry
        first = _PIECE - len(carry)  # the first piece tops the carried bytes up to a whole one
        data = carry + encrypt(view[:first])
        pieces = []
        for start in range(first, len(view), _PIECE):  # ``data`` is a whole piece: no carry
            pieces.append(binascii.b2a_base64(data, newline=False))
            data = encrypt(view[start : start + _PIECE])
        cut = len(data) - len(data) % 3  # base64 maps 3 bytes to 4 chars: keep the rest
        self._carry = data[cut:]
        pieces.append(binascii.b2a_base64(memoryview(data)[:cut], newline=False))
        return b"".join(pieces)

    def finish(self) -> bytes:
        """Flush the cipher, append the tag, close the JSON object."""
        tail = self._encryptor.finalize() + self._encryptor.tag
        return base64.b64encode(self._carry + tail) + _SUFFIX


class EncryptedSource(BodySource):
    """Wraps a plaintext source; yields the JSON envelope, re-encrypting on every iteration.

    ``size`` is exact when the plaintext size is known; ``replayable`` follows the inner
    source; ``filename`` is the inner one plus ``.enc`` (as the official Python SDK sends).
    """

    def __init__(self, inner: BodySource, public_key: PublicKeyInput) -> None:
        self.inner = inner
        self._key = load_public_key(public_key)
        self.size = None if inner.size is None else envelope_size(inner.size, self._key.key_size)
        self.replayable = inner.replayable
        self.filename = f"{inner.filename}.enc"

    def __repr__(self) -> str:
        return f"EncryptedSource({self.inner!r}, size={self.size})"

    def iter_chunks(self) -> Iterator[bytes]:
        chunks = self.inner.iter_chunks()
        first = next(chunks, b"")  # inner errors (e.g. "empty upload") surface before any output
        encoder = EnvelopeEncoder(self._key)
        yield encoder.start + encoder.update(first)
        for chunk in chunks:
            if out := encoder.update(chunk):
                yield out
        yield encoder.finish()

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        chunks = self.inner.aiter_chunks()
        first = await anext(chunks, b"")
        encoder = EnvelopeEncoder(self._key)
        yield encoder.start + encoder.update(first)
        async for chunk in chunks:
            if out := encoder.update(chunk):
                yield out
        yield encoder.finish()


def encrypt_image(data: bytes, public_key_pem: PublicKeyInput) -> dict[str, str]:
    """The envelope for in-memory ``data`` as a dict (JSON-ready), for callers who want it."""
    envelope = b"".join(EncryptedSource(BytesSource(data), public_key_pem).iter_chunks())
    return cast(dict[str, str], json.loads(envelope))
