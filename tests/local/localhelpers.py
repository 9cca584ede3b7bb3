"""Shared helpers for the apertur_local tests: clients, test images, a webhook receiver.

Imported by the test modules (``from localhelpers import ...``); fixtures live in conftest.py.
"""

from __future__ import annotations

import base64
import functools
import os
import struct
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import attrs
import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from apertur_local import Clock, LocalApertur
from apertur_local._crypto import ServerKey
from apertur_local._models import Image, Session
from apertur_local._state import AperturState
from apertur_local._store_uploads import NewImage


def make_png(width: int = 4, height: int = 3) -> bytes:
    """A valid RGB PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_jpeg_header(width: int = 640, height: int = 480) -> bytes:
    """Enough of a JPEG (SOI, APP0, SOF0) for content sniffing."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def make_gif(width: int = 2, height: int = 2) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


def make_webp(width: int = 10, height: int = 20) -> bytes:
    body = b"VP8X" + struct.pack("<I", 10) + b"\x00" * 4
    body += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def envelope(public_key: rsa.RSAPublicKey, plaintext: bytes, **extra: str) -> dict[str, str]:
    """The encrypted-upload envelope of ``plaintext`` under ``public_key`` (as the SDKs make it)."""
    aes_key, iv = AESGCM.generate_key(bit_length=256), os.urandom(12)
    sealed = AESGCM(aes_key).encrypt(iv, plaintext, None)  # ciphertext || 16-byte tag
    wrapped = public_key.encrypt(
        aes_key,
        padding.OAEP(
            mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
        ),
    )
    return {
        "encryptedKey": base64.b64encode(wrapped).decode(),
        "iv": base64.b64encode(iv).decode(),
        "encryptedData": base64.b64encode(sealed).decode(),
        "algorithm": "RSA-OAEP+AES-256-GCM",
        **extra,
    }


def client_for(server: LocalApertur, key: str | None = None) -> httpx.Client:
    """An httpx client authenticated with ``key`` (the bootstrap key by default)."""
    return httpx.Client(
        base_url=server.url,
        headers={"Authorization": f"Bearer {key or server.api_key}"},
        timeout=30,
        verify=False,  # plain loopback HTTP: skip building a TLS context
        trust_env=False,
    )


def create_session(client: httpx.Client, **options: Any) -> str:
    response = client.post("/api/v1/upload-sessions", json=options)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def upload(
    client: httpx.Client,
    session_id: str,
    data: bytes,
    filename: str = "photo.png",
    content_type: str = "image/png",
    headers: dict[str, str] | None = None,
    source: str | None = None,
) -> httpx.Response:
    form = {"source": source} if source is not None else None
    return client.post(
        f"/api/v1/upload/{session_id}/images",
        files={"file": (filename, data, content_type)},
        data=form,
        headers=headers,
    )


def wait_until(predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Poll ``predicate`` until it returns something truthy (fail after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


@attrs.define
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A loopback HTTP server recording every POST; answers statuses from ``script`` then 200."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.script: list[int] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = receiver.script.pop(0) if receiver.script else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        wait_until(lambda: len(self.requests) >= count, timeout)
        return list(self.requests)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def store_image(
    state: AperturState,
    session: Session,
    data: bytes | None = None,
    *,
    size: int | None = None,
    width: int | None = 4,
    height: int | None = 3,
    mime_type: str = "image/png",
) -> Image:
    """Upload an image into ``session`` in process (what the upload handler does once the body
    is streamed to a temp file and recognised); ``size`` pads the file to that many bytes."""
    body = make_png() if data is None else data
    if size is not None:
        body = body.ljust(size, b"\0")
    temp = state.blobs.new_temp()
    temp.write_bytes(body)
    new = NewImage(
        content=temp,
        size_bytes=len(body),
        filename="p.png",
        mime_type=mime_type,
        width=width,
        height=height,
        source="camera",
        is_encrypted=False,
    )
    return state.uploads.add(session, state.keys.authenticate("aptr_test_local"), new)


@attrs.define
class FrozenClock(Clock):
    """A clock that only moves when a test sets ``at``."""

    at: float = 1_000.0

    def now(self) -> float:
        return self.at


@functools.cache
def _server_key_pem() -> bytes:
    """One RSA server key for the in-process states of a run (making one costs ~0.1 s)."""
    private = ServerKey.generate()._private
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def with_server_key(data_dir: Path) -> Path:
    """``data_dir``, created, holding the run's server key (so a state opens without making one)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "server_key.pem").write_bytes(_server_key_pem())
    return data_dir
