"""Encoding of a ``multipart/form-data`` body: text fields, then one file part.

Used for the ``multipart`` format of webhook-destination deliveries. Parameter values are escaped
the way browsers encode form submissions (``"`` → ``%22``, CR → ``%0D``, LF → ``%0A``), so a
filename can never break out of its header.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

__all__ = ["multipart_body"]


def _quote_param(value: str) -> str:
    """Escape a multipart header parameter the way HTML5 forms do (no CR/LF/quote can break out)."""
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def multipart_body(
    fields: Sequence[tuple[str, str]],
    file_field: str,
    filename: str,
    mime_type: str,
    data: bytes,
    boundary: str | None = None,
) -> tuple[bytes, str]:
    """Encode text ``fields`` then one file part; return ``(body, content_type)``."""
    boundary = boundary or secrets.token_hex(16)
    delimiter = f"--{boundary}\r\n".encode("ascii")
    chunks: list[bytes] = []
    for name, value in fields:
        chunks.append(delimiter)
        chunks.append(
            f'Content-Disposition: form-data; name="{_quote_param(name)}"\r\n\r\n'.encode()
        )
        chunks.append(value.encode("utf-8") + b"\r\n")
    chunks.append(delimiter)
    chunks.append(
        (
            f'Content-Disposition: form-data; name="{_quote_param(file_field)}"; '
            f'filename="{_quote_param(filename)}"\r\n'
            f"Content-Type: {_quote_param(mime_type)}\r\n\r\n"
        ).encode()
    )
    chunks.append(data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
