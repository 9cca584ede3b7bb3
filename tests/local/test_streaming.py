"""Uploads stream to disk: the server's peak memory does not grow with the upload size.

The server runs as a separate process (``python -m apertur_local serve``) so that its high-water
RSS (``VmHWM``) can be read from /proc. The default run sends 64 MiB; the 1 GiB run is marked
``slow``, which the default run excludes: ``pytest -m slow tests/local/test_streaming.py`` runs it
(plain and encrypted envelopes alike stream).
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from localhelpers import make_png

MIB = 1024 * 1024
CHUNK = MIB
SIZES = [
    pytest.param(64 * MIB, id="64MiB"),
    pytest.param(1024 * MIB, id="1GiB", marks=pytest.mark.slow),
]

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")


def high_water_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def multipart(size: int) -> Iterator[bytes]:
    yield b'--bnd\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n'
    yield b"Content-Type: image/png\r\n\r\n"
    yield from multipart_payload(size)
    yield b"\r\n--bnd--\r\n"


def envelope_part(public_pem: str, size: int) -> Iterator[bytes]:
    """A multipart body whose file part is a §4 envelope, encrypted and base64ed on the fly."""
    public_key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(public_key, rsa.RSAPublicKey)
    aes_key, iv = os.urandom(32), os.urandom(12)
    wrapped = public_key.encrypt(
        aes_key,
        padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
    )
    encryptor = Cipher(algorithms.AES(aes_key), modes.GCM(iv)).encryptor()
    yield b'--bnd\r\nContent-Disposition: form-data; name="file"; filename="big.png.enc"\r\n\r\n'
    yield b'{"encryptedKey":"' + base64.b64encode(wrapped) + b'","iv":"' + base64.b64encode(iv)
    yield b'","algorithm":"RSA-OAEP+AES-256-GCM","encryptedData":"'
    pending = b""
    for plain in multipart_payload(size):
        pending += encryptor.update(plain)
        usable = len(pending) - len(pending) % 3
        yield base64.b64encode(pending[:usable])
        pending = pending[usable:]
    encryptor.finalize()
    yield base64.b64encode(pending + encryptor.tag) + b'"}\r\n--bnd--\r\n'


def multipart_payload(size: int) -> Iterator[bytes]:
    head = make_png(16, 16)
    yield head
    remaining = size - len(head)
    zeros = b"\x00" * CHUNK
    while remaining > 0:
        piece = zeros[: min(CHUNK, remaining)]
        remaining -= len(piece)
        yield piece


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[tuple[str, int]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "apertur_local",
            "serve",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    with process.stdout:
        try:
            url = process.stdout.readline().split()[3]
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_large_upload_keeps_memory_flat(
    server_process: tuple[str, int], encrypted: bool, size: int
) -> None:
    url, pid = server_process
    headers = {"Authorization": "Bearer aptr_test_local"}
    with httpx.Client(
        base_url=url, headers=headers, timeout=600, verify=False, trust_env=False
    ) as client:
        sid = client.post("/api/v1/upload-sessions", json={"long_polling": True}).json()["id"]
        headers = {"Content-Type": "multipart/form-data; boundary=bnd"}
        if encrypted:
            pem = client.get("/api/v1/encryption/server-key").json()["publicKey"]
            body, headers["X-Aptr-Encrypted"] = envelope_part(pem, size), "default"
        else:
            body = multipart(size)
        before = high_water_kib(pid)
        response = client.post(f"/api/v1/upload/{sid}/images", content=body, headers=headers)
        assert response.status_code == 201, response.text
        assert response.json()["size_bytes"] == size
        received = 0
        with client.stream(
            "GET", f"/api/v1/upload-sessions/{sid}/images/{response.json()['id']}"
        ) as download:
            for chunk in download.iter_bytes():
                received += len(chunk)
        assert received == size
        growth_mib = (high_water_kib(pid) - before) / 1024
    assert growth_mib < 48, (
        f"server peak memory grew by {growth_mib:.0f} MiB for a {size // MIB} MiB upload"
    )
