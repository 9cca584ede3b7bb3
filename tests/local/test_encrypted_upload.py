"""Encrypted uploads U2: the §4 envelope built here with `cryptography` round-trips byte for byte."""

from __future__ import annotations

import base64
import json
import os

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from localhelpers import create_session, envelope, make_png

ENCRYPTED = {"X-Aptr-Encrypted": "default"}


def server_public_key(api: httpx.Client) -> rsa.RSAPublicKey:
    pem = api.get("/api/v1/encryption/server-key").json()["publicKey"]
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    key = serialization.load_pem_public_key(pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    assert key.key_size >= 2048
    return key


def send(api: httpx.Client, sid: str, body: bytes, name: str = "photo.png.enc") -> httpx.Response:
    return api.post(
        f"/api/v1/upload/{sid}/images",
        files={"file": (name, body, "application/octet-stream")},
        headers=ENCRYPTED,
    )


def test_encrypted_upload_round_trips(api: httpx.Client) -> None:
    sid = create_session(api, long_polling=True)
    plaintext = make_png(64, 48) + os.urandom(300_000)  # trailing bytes are still a PNG
    body = json.dumps(envelope(server_public_key(api), plaintext)).encode()
    response = send(api, sid, body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["filename"] == "photo.png"
    assert result["size_bytes"] == len(plaintext)
    downloaded = api.get(f"/api/v1/upload-sessions/{sid}/images/{result['id']}")
    assert downloaded.content == plaintext
    assert downloaded.headers["content-type"] == "image/png"
    row = api.get("/api/v1/uploads/recent").json()[0]
    assert row["isEncrypted"] is True
    assert row["id"] == result["id"]


def test_php_style_envelope_with_escaped_slashes_and_metadata(api: httpx.Client) -> None:
    sid = create_session(api, long_polling=True)
    plaintext = make_png(8, 8)
    fields = envelope(
        server_public_key(api), plaintext, filename="orig.png", mimeType="image/png", source="sdk"
    )
    text = "{" + ",".join(f'"{k}":"{v}"' for k, v in fields.items()).replace("/", "\\/") + "}"
    response = send(api, sid, text.encode(), name="orig.png")
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == "orig.png"
    image = api.get(f"/api/v1/upload-sessions/{sid}/poll").json()["images"][0]
    assert image["source"] == "camera"
    assert api.get(f"/api/v1/upload-sessions/{sid}/images/{image['id']}").content == plaintext


def tampered(fields: dict[str, str]) -> dict[str, str]:
    data = bytearray(base64.b64decode(fields["encryptedData"]))
    data[0] ^= 1
    return {**fields, "encryptedData": base64.b64encode(bytes(data)).decode()}


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (tampered, "authentication"),
        (lambda f: {**f, "iv": base64.b64encode(os.urandom(12)).decode()}, "authentication"),
        (lambda f: {**f, "encryptedKey": base64.b64encode(os.urandom(256)).decode()}, "unwrap"),
        (lambda f: {**f, "algorithm": "RSA-OAEP+AES-128-CBC"}, "algorithm"),
        (lambda f: {k: v for k, v in f.items() if k != "encryptedData"}, "encryptedData"),
        (lambda f: {k: v for k, v in f.items() if k != "iv"}, "iv"),
        (lambda f: {**f, "encryptedData": "!!!notbase64"}, "base64"),
        (lambda f: {**f, "encryptedData": "AAAA"}, "too short"),
    ],
)
def test_bad_envelopes_are_400(api: httpx.Client, mutate, fragment: str) -> None:  # type: ignore[no-untyped-def]
    sid = create_session(api)
    fields = mutate(envelope(server_public_key(api), make_png()))
    response = send(api, sid, json.dumps(fields).encode())
    assert response.status_code == 400
    assert fragment in response.json()["message"]


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"[1,2]", b'{"encryptedData": {"nested": 1}}', b'{"a":"b"} trailing', b'{"a":'],
)
def test_malformed_json_envelopes_are_400(api: httpx.Client, raw: bytes) -> None:
    sid = create_session(api)
    response = send(api, sid, raw)
    assert response.status_code == 400
    assert "envelope" in response.json()["message"] or "JSON" in response.json()["message"]


def test_encrypted_non_image_is_400(api: httpx.Client) -> None:
    sid = create_session(api)
    body = json.dumps(envelope(server_public_key(api), b"plain text, not an image")).encode()
    assert send(api, sid, body).status_code == 400


def test_encrypted_respects_session_size_limit(api: httpx.Client) -> None:
    sid = create_session(api)
    api.patch(f"/api/v1/upload-sessions/{sid}", json={"max_image_size_mb": 1})
    plaintext = make_png() + b"\x00" * (1024 * 1024 + 1)
    body = json.dumps(envelope(server_public_key(api), plaintext)).encode()
    assert send(api, sid, body).status_code == 413
