"""The server's RSA key pair: made at first start, kept in the data directory, served by E1.

Clients wrap a fresh AES-256 key with RSA-OAEP (SHA-256 for both the hash and MGF1, empty label)
under the public half; :meth:`ServerKey.unwrap` reverses that. The envelope
itself is decrypted by ``_envelope``. Written independently of ``apertur_ext``'s crypto.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["KEY_BITS", "ServerKey", "UnwrapError"]

KEY_BITS = 2048
"""Size of a freshly generated server key."""


class UnwrapError(ValueError):
    """The wrapped AES key could not be recovered with the server's private key."""


class ServerKey:
    """An RSA private key with its SPKI PEM public half."""

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self._private = private_key
        self.public_pem = (
            private_key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )

    @classmethod
    def generate(cls) -> ServerKey:
        """A fresh key that lives only in memory."""
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS))

    @classmethod
    def load_or_create(cls, path: Path) -> ServerKey:
        """Load the PKCS#8 PEM at ``path``; generate and save one (mode 0600) when missing.

        The new file is written aside, fsync'd and renamed into place, so a crash never leaves a
        half-written key. ``ValueError`` when the file exists but holds no RSA private key.
        """
        try:
            pem = path.read_bytes()
        except FileNotFoundError:
            key = cls.generate()
            path.parent.mkdir(parents=True, exist_ok=True)
            data = key._private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            temp = path.with_name(path.name + ".new")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
            return key
        try:
            loaded = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path} does not hold a readable private key") from exc
        if not isinstance(loaded, rsa.RSAPrivateKey):
            raise ValueError(f"{path} does not hold an RSA private key")
        return cls(loaded)

    def unwrap(self, wrapped: bytes) -> bytes:
        """RSA-OAEP-SHA-256 decrypt ``wrapped``; :class:`UnwrapError` when that fails."""
        try:
            return self._private.decrypt(
                wrapped,
                padding.OAEP(
                    mgf=padding.MGF1(algorithm=hashes.SHA256()),
                    algorithm=hashes.SHA256(),
                    label=None,
                ),
            )
        except ValueError as exc:
            raise UnwrapError(
                "encryptedKey could not be unwrapped with the server key "
                "(expected RSA-OAEP with SHA-256 under the key from /api/v1/encryption/server-key)"
            ) from exc
