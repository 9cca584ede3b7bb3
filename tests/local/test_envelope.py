"""apertur_local._envelope on its own: every field rule, boundary and refusal, with exact messages.

The envelopes are written to disk as an uploader would send them (``localhelpers.envelope``) and
decrypted with a server key made for the test; the end-to-end path is in test_encrypted_upload.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from localhelpers import envelope

from apertur_local._crypto import ServerKey
from apertur_local._envelope import (
    ALGORITHM,
    EnvelopeError,
    EnvelopeFields,
    PlaintextTooLarge,
    decrypt_envelope,
)

OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
LIMIT = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def key() -> ServerKey:
    return ServerKey.generate()


@pytest.fixture(scope="module")
def other_key() -> ServerKey:
    return ServerKey.generate()


def public(key: ServerKey) -> Any:
    return key._private.public_key()


def sealed(key: ServerKey, plaintext: bytes, *, aes_key: bytes | None = None, iv_len: int = 12):  # type: ignore[no-untyped-def]
    """Fields of an envelope with a chosen AES key or IV length."""
    aes_key = aes_key or AESGCM.generate_key(bit_length=256)
    iv = os.urandom(iv_len)
    return {
        "encryptedKey": base64.b64encode(public(key).encrypt(aes_key, OAEP)).decode(),
        "iv": base64.b64encode(iv).decode(),
        "encryptedData": base64.b64encode(AESGCM(aes_key).encrypt(iv, plaintext, None)).decode(),
        "algorithm": ALGORITHM,
    }


def decrypt(
    tmp_path: Path, key: ServerKey, text: str | bytes, limit: int = LIMIT
) -> tuple[EnvelopeFields, bytes]:
    source, out = tmp_path / "upload.json", tmp_path / "plain.bin"
    source.write_bytes(text.encode() if isinstance(text, str) else text)
    fields = decrypt_envelope(source, out, key, limit)
    return fields, out.read_bytes()


def refusal(tmp_path: Path, key: ServerKey, text: str | bytes, limit: int = LIMIT) -> str:
    with pytest.raises(EnvelopeError) as info:
        decrypt(tmp_path, key, text, limit)
    return str(info.value)


# --- what comes out ------------------------------------------------------------------------------


def test_round_trip_with_the_optional_fields(tmp_path: Path, key: ServerKey) -> None:
    plaintext = os.urandom(600_000)  # several read chunks, and not a multiple of 3 or 4
    body = envelope(public(key), plaintext, filename="a.png", mimeType="image/png", source="cam")
    fields, out = decrypt(tmp_path, key, json.dumps(body))
    assert out == plaintext
    assert fields == EnvelopeFields(
        size=len(plaintext), filename="a.png", mime_type="image/png", source="cam"
    )


def test_algorithm_may_be_omitted_and_nothing_else_is_required(
    tmp_path: Path, key: ServerKey
) -> None:
    body = envelope(public(key), b"plain")
    del body["algorithm"]
    fields, out = decrypt(tmp_path, key, json.dumps(body))
    assert (fields, out) == (EnvelopeFields(size=5), b"plain")


def test_empty_plaintext_is_just_the_tag(tmp_path: Path, key: ServerKey) -> None:
    fields, out = decrypt(tmp_path, key, json.dumps(envelope(public(key), b"")))
    assert (fields.size, out) == (0, b"")


def test_base64_may_be_wrapped_over_lines(tmp_path: Path, key: ServerKey) -> None:
    body = envelope(public(key), os.urandom(5000))
    data = body["encryptedData"]
    body["encryptedData"] = "\r\n".join(data[i : i + 76] for i in range(0, len(data), 76)) + " \t"
    _, out = decrypt(tmp_path, key, json.dumps(body))
    assert len(out) == 5000


@pytest.mark.parametrize("iv_len", [8, 12, 128])
def test_iv_lengths_gcm_accepts(tmp_path: Path, key: ServerKey, iv_len: int) -> None:
    _, out = decrypt(tmp_path, key, json.dumps(sealed(key, b"x" * 40, iv_len=iv_len)))
    assert out == b"x" * 40


def test_the_size_limit_is_inclusive(tmp_path: Path, key: ServerKey) -> None:
    text = json.dumps(envelope(public(key), b"y" * 1000))
    assert decrypt(tmp_path, key, text, limit=1000)[0].size == 1000
    with pytest.raises(PlaintextTooLarge, match="^decrypted image exceeds the size limit$"):
        decrypt(tmp_path, key, text, limit=999)


def test_a_small_field_may_be_64_kib_but_no_longer(tmp_path: Path, key: ServerKey) -> None:
    body = envelope(public(key), b"z", filename="f" * 65536)
    assert decrypt(tmp_path, key, json.dumps(body))[0].filename == "f" * 65536
    body["filename"] = "f" * 65537
    assert refusal(tmp_path, key, json.dumps(body)) == "envelope field 'filename' is too long"


def test_unknown_fields_and_non_string_extras_are_ignored(tmp_path: Path, key: ServerKey) -> None:
    body: dict[str, Any] = envelope(public(key), b"ok")
    body.update(filename=7, extra="x")
    fields, out = decrypt(tmp_path, key, json.dumps(body))
    assert (fields.filename, out) == (None, b"ok")


# --- refusals, each saying why -------------------------------------------------------------------


def test_structure_refusals(tmp_path: Path, key: ServerKey) -> None:
    good = envelope(public(key), b"data")
    assert refusal(tmp_path, key, "not json").startswith(
        "encrypted upload is not a valid JSON envelope: "
    )
    no_data = {k: v for k, v in good.items() if k != "encryptedData"}
    assert refusal(tmp_path, key, json.dumps(no_data)) == "envelope has no encryptedData"
    twice = json.dumps(good)[:-1] + ', "iv": "AAAA"}'
    assert refusal(tmp_path, key, twice) == "envelope field 'iv' appears twice"
    for name in ("encryptedKey", "iv", "encryptedData", "algorithm"):
        body: dict[str, Any] = {**good, name: 12}
        assert refusal(tmp_path, key, json.dumps(body)) == (
            f"envelope field {name!r} must be a string"
        )


def test_field_refusals(tmp_path: Path, key: ServerKey, other_key: ServerKey) -> None:
    good = envelope(public(key), b"data")

    def with_(**changes: Any) -> str:
        body = {**good, **changes}
        return refusal(tmp_path, key, json.dumps({k: v for k, v in body.items() if v is not None}))

    assert with_(algorithm="RSA-OAEP+AES-128-GCM") == (
        "unsupported algorithm 'RSA-OAEP+AES-128-GCM'; expected 'RSA-OAEP+AES-256-GCM'"
    )
    assert with_(encryptedKey=None) == "envelope has no encryptedKey"
    assert with_(encryptedKey="") == "envelope has no encryptedKey"
    assert with_(encryptedKey="!!!!") == "envelope encryptedKey is not valid base64"
    assert with_(iv=None) == "envelope has no iv"
    assert with_(iv="A===") == "envelope iv is not valid base64"
    for iv_len in (7, 129):
        assert with_(iv=base64.b64encode(os.urandom(iv_len)).decode()) == (
            "iv must be 12 bytes (AES-GCM nonce)"
        )
    foreign = envelope(public(other_key), b"data")
    assert "encryptedKey" in refusal(tmp_path, key, json.dumps(foreign))
    short_key = sealed(key, b"data", aes_key=os.urandom(16))
    assert refusal(tmp_path, key, json.dumps(short_key)) == (
        "unwrapped key is not a 32-byte AES-256 key"
    )


def test_encrypted_data_refusals(tmp_path: Path, key: ServerKey) -> None:
    good = envelope(public(key), b"some plaintext here")
    data = good["encryptedData"]

    def with_data(value: str) -> str:
        return refusal(tmp_path, key, json.dumps({**good, "encryptedData": value}))

    assert with_data("AA==" + data) == "encryptedData is not valid base64"
    assert with_data(data[:4] + "!!!!" + data[8:]) == "encryptedData is not valid base64"
    assert with_data(data + "A") == "encryptedData base64 length is not a multiple of 4"
    assert with_data(base64.b64encode(b"x" * 15).decode()) == (
        "encryptedData is too short to hold an AES-GCM tag"
    )
    tampered = bytearray(base64.b64decode(data))
    tampered[0] ^= 1
    assert with_data(base64.b64encode(bytes(tampered)).decode()) == (
        "AES-GCM authentication failed: the envelope was tampered with or the key/iv do not match"
    )


def test_padding_at_the_end_of_one_read_refuses_what_follows(
    tmp_path: Path, key: ServerKey
) -> None:
    """The file is read 256 KiB at a time: a block that ends one read with padding may only be the
    last one, so data arriving in the next read is refused."""
    good = envelope(public(key), b"abcd")
    head = json.dumps({k: v for k, v in good.items() if k != "encryptedData"})[:-1]
    head += ', "encryptedData":'
    head += " " * (-(len(head) + 1) % 4) + '"'  # the string's content starts on a 4-byte boundary
    first_read = 256 * 1024
    text = head + "A" * (first_read - len(head) - 4) + "QQ==" + "AAAA" * 8 + '"}'
    assert text[first_read - 4 : first_read] == "QQ=="
    assert refusal(tmp_path, key, text) == "encryptedData has base64 padding before its end"


def test_base64_wrapped_with_raw_line_breaks_and_indentation_decrypts(
    tmp_path: Path, key: ServerKey
) -> None:
    # A hand-made envelope (a heredoc, an editor) may break the base64 inside the JSON string
    # with raw CR LF and indent it: every kind of whitespace in one read chunk is skipped.
    plaintext = os.urandom(3000)
    body = envelope(public(key), plaintext)
    data = body["encryptedData"]
    wrapped = "\r\n \t".join(data[i : i + 64] for i in range(0, len(data), 64))
    text = json.dumps(body).replace(data, wrapped)
    fields, out = decrypt(tmp_path, key, text)
    assert (fields.size, out) == (3000, plaintext)


def test_small_fields_that_are_not_utf8_are_kept_with_replacement_characters(
    tmp_path: Path, key: ServerKey
) -> None:
    body = envelope(public(key), b"plain", filename="NAME", source="SOURCE")
    text = json.dumps(body).encode()
    text = text.replace(b"NAME", b"caf\xe9.png").replace(b"SOURCE", b"\\ud800cam")
    fields, out = decrypt(tmp_path, key, text)
    assert out == b"plain"
    assert fields == EnvelopeFields(size=5, filename="caf\ufffd.png", source="\ufffd" * 3 + "cam")
