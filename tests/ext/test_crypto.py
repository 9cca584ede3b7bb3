"""Tests for apertur_ext._bodies.crypto: the §4 envelope, its exact size, keys, tampering and memory."""

from __future__ import annotations

import base64
import json
import tracemalloc
from collections.abc import AsyncIterator, Iterator, Mapping

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from apertur_api.models import ServerKey
from apertur_ext._bodies import crypto
from apertur_ext._bodies.crypto import (
    ALGORITHM,
    EncryptedSource,
    EnvelopeEncoder,
    encrypt_image,
    envelope_size,
    load_public_key,
)
from apertur_ext._bodies.sources import CHUNK_SIZE, BodySource, to_source
from apertur_ext._core.exceptions import EncryptionKeyError, InvalidInputError


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def pem(private_key: rsa.RSAPrivateKey) -> bytes:
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def decrypt_envelope(envelope: Mapping[str, str], private_key: rsa.RSAPrivateKey) -> bytes:
    """Test-side reference decryption (the local server has its own implementation)."""
    assert envelope["algorithm"] == ALGORITHM
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    aes_key = private_key.decrypt(base64.b64decode(envelope["encryptedKey"], validate=True), oaep)
    iv = base64.b64decode(envelope["iv"], validate=True)
    assert len(aes_key) == 32
    assert len(iv) == 12
    data = base64.b64decode(envelope["encryptedData"], validate=True)
    return AESGCM(aes_key).decrypt(iv, data, None)


def parse(raw: bytes) -> dict[str, str]:
    envelope = json.loads(raw.decode("utf-8"))
    assert list(envelope) == ["encryptedKey", "iv", "encryptedData", "algorithm"]
    assert b"\n" not in raw
    assert b" " not in raw
    return envelope  # type: ignore[no-any-return]


# --- keys -------------------------------------------------------------------------------------


def test_loads_spki_and_pkcs1(private_key: rsa.RSAPrivateKey, pem: bytes) -> None:
    pkcs1 = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
    )
    assert b"BEGIN RSA PUBLIC KEY" in pkcs1
    assert load_public_key(pem).key_size == 2048
    assert load_public_key(pem.decode()).key_size == 2048
    assert load_public_key(pkcs1).key_size == 2048
    assert load_public_key(private_key.public_key()).key_size == 2048


def test_the_server_key_model_is_read_as_its_pem(pem: bytes) -> None:
    """What ``client.encryption.get_server_key()`` returns can be passed as it is."""
    key = load_public_key(ServerKey(public_key=pem.decode()))
    assert key.public_numbers() == load_public_key(pem).public_numbers()


@pytest.mark.parametrize(
    ("bad", "name"), [(7, "int"), ({"publicKey": "..."}, "dict"), (None, "NoneType")]
)
def test_an_object_that_is_no_key_is_named_in_the_error(bad: object, name: str) -> None:
    with pytest.raises(EncryptionKeyError) as info:
        load_public_key(bad)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"the public key must be a PEM (str or bytes), an RSA public key or a ServerKey, not {name}"
    )


def test_escaped_newlines_are_accepted(pem: bytes) -> None:
    assert load_public_key(pem.decode().replace("\n", "\\n")).key_size == 2048


@pytest.mark.parametrize(
    "bad", ["", "not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "é"]
)
def test_garbage_is_refused(bad: str) -> None:
    with pytest.raises(EncryptionKeyError, match="not a PEM public key|non-ASCII"):
        load_public_key(bad)


def test_private_key_pem_is_refused_without_echoing_it(private_key: rsa.RSAPrivateKey) -> None:
    secret = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(EncryptionKeyError) as info:
        load_public_key(secret)
    body = secret.decode().splitlines()[1]
    assert body not in str(info.value)
    assert body not in repr(info.value)


def test_ec_key_is_refused() -> None:
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(EncryptionKeyError, match="not an RSA key"):
        load_public_key(ec_pem)


def test_short_rsa_key_is_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    with pytest.raises(EncryptionKeyError, match="1024 bits"):
        load_public_key(small)
    assert issubclass(EncryptionKeyError, InvalidInputError)


def test_bad_key_fails_before_reading_the_source(pem: bytes) -> None:
    class Exploding(BodySource):
        size = 3
        replayable = True

        def iter_chunks(self) -> Iterator[bytes]:
            raise AssertionError("must not be read")

        def aiter_chunks(self) -> AsyncIterator[bytes]:
            raise AssertionError("must not be read")

    with pytest.raises(EncryptionKeyError):
        EncryptedSource(Exploding(), b"junk")


# --- the envelope -----------------------------------------------------------------------------


def test_round_trip_in_memory(private_key: rsa.RSAPrivateKey, pem: bytes) -> None:
    envelope = encrypt_image(b"\xff\xd8\xffimage", pem)
    assert envelope["algorithm"] == "RSA-OAEP+AES-256-GCM"
    assert decrypt_envelope(envelope, private_key) == b"\xff\xd8\xffimage"
    assert len(base64.b64decode(envelope["encryptedData"])) == len(b"\xff\xd8\xffimage") + 16


def test_in_memory_refuses_empty(pem: bytes) -> None:
    with pytest.raises(InvalidInputError, match="empty upload"):
        encrypt_image(b"", pem)


def test_fresh_key_and_iv_every_time(pem: bytes) -> None:
    a, b = encrypt_image(b"same", pem), encrypt_image(b"same", pem)
    assert a["encryptedKey"] != b["encryptedKey"]
    assert a["iv"] != b["iv"]
    assert a["encryptedData"] != b["encryptedData"]


def test_tampering_is_detected(private_key: rsa.RSAPrivateKey, pem: bytes) -> None:
    envelope = encrypt_image(b"original bytes", pem)
    data = bytearray(base64.b64decode(envelope["encryptedData"]))
    data[0] ^= 1
    tampered = dict(envelope, encryptedData=base64.b64encode(bytes(data)).decode())
    with pytest.raises(InvalidTag):
        decrypt_envelope(tampered, private_key)
    tag_cut = dict(envelope, encryptedData=base64.b64encode(bytes(data[:-1])).decode())
    with pytest.raises(InvalidTag):
        decrypt_envelope(tag_cut, private_key)


def split(data: bytes, step: int) -> Iterator[bytes]:
    for i in range(0, len(data), step):
        yield data[i : i + step]


class Split(BodySource):
    """``data`` in chunks of ``step`` bytes (none at all when it is empty)."""

    replayable = True

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.size = data, step, len(data)

    def iter_chunks(self) -> Iterator[bytes]:
        return split(self.data, self.step)

    async def aiter_chunks(self) -> AsyncIterator[bytes]:  # pragma: no cover
        for chunk in split(self.data, self.step):
            yield chunk


SIZES = [
    *range(101),
    *(CHUNK_SIZE + d for d in (-2, -1, 0, 1, 2)),
    *(2 * CHUNK_SIZE + d for d in (-1, 0, 1)),
]


@pytest.mark.parametrize("key_bits", [2048, 3072])
def test_size_is_exact_for_many_sizes(key_bits: int) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=key_bits)
    public = private.public_key()
    for n in SIZES:
        plain = bytes((i * 7) & 0xFF for i in range(n))
        for step in (1, 2, 5, CHUNK_SIZE) if n <= 100 else (CHUNK_SIZE, 1000, 4097):
            raw = b"".join(EncryptedSource(Split(plain, step), public).iter_chunks())
            assert len(raw) == envelope_size(n, key_bits), (n, step)
        assert decrypt_envelope(parse(raw), private) == plain


PIECE = crypto._PIECE


@pytest.mark.parametrize(
    "steps",
    [
        [PIECE],
        [PIECE - 1, 1, PIECE + 1, PIECE - 2, 2 * PIECE + 2, 7],  # every carry, at every boundary
        [1, 2 * PIECE, 1, PIECE - 2, 3 * PIECE + 1],
        [CHUNK_SIZE, CHUNK_SIZE + 1, 5, 0, CHUNK_SIZE - 1],
        [2, 0, 3 * PIECE, 1],
    ],
)
def test_the_encrypted_data_does_not_depend_on_how_the_image_is_cut(
    private_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch, steps: list[int]
) -> None:
    """Chunks are encrypted and encoded in pieces; whatever the cuts, ``encryptedData`` is the
    base64 of AES-256-GCM over the whole image with the envelope's key and IV."""
    plain = bytes((i * 31 + i // 7) & 0xFF for i in range(sum(steps)))
    aes_key, iv = bytes(range(32)), bytes(range(100, 112))
    monkeypatch.setattr(crypto.os, "urandom", {32: aes_key, 12: iv}.__getitem__)
    encoder = EnvelopeEncoder(private_key.public_key())
    out, at = [encoder.start], 0
    for step in steps:
        out.append(encoder.update(plain[at : at + step]))
        at += step
    out.append(encoder.finish())
    envelope = parse(b"".join(out))
    expected = AESGCM(aes_key).encrypt(iv, plain, None)
    assert envelope["encryptedData"] == base64.b64encode(expected).decode()
    assert decrypt_envelope(envelope, private_key) == plain


def test_encrypted_source_streams_and_replays(private_key: rsa.RSAPrivateKey, pem: bytes) -> None:
    plain = bytes(range(256)) * 1000
    source = EncryptedSource(to_source(plain, filename="cat.jpg"), pem)
    assert source.replayable
    assert source.filename == "cat.jpg.enc"
    first = b"".join(source.iter_chunks())
    second = b"".join(source.iter_chunks())
    assert len(first) == len(second) == source.size
    assert first != second  # re-encrypted with a fresh key
    assert decrypt_envelope(parse(first), private_key) == plain
    assert decrypt_envelope(parse(second), private_key) == plain


@pytest.mark.anyio
async def test_encrypted_source_async(private_key: rsa.RSAPrivateKey, pem: bytes) -> None:
    plain = bytes(range(256)) * 700

    async def agen() -> AsyncIterator[bytes]:
        for chunk in split(plain, 333):
            yield chunk

    source = EncryptedSource(to_source(agen()), pem)
    assert source.size is None
    assert not source.replayable
    raw = b"".join([c async for c in source.aiter_chunks()])
    assert decrypt_envelope(parse(raw), private_key) == plain
    with pytest.raises(InvalidInputError, match="one-shot"):
        _ = [c async for c in source.aiter_chunks()]


def test_one_shot_inner_is_not_replayable_and_empty_fails_first(pem: bytes) -> None:
    source = EncryptedSource(to_source(iter([b""])), pem)
    assert not source.replayable
    assert source.size is None
    with pytest.raises(InvalidInputError, match="empty upload"):
        next(source.iter_chunks())  # before the envelope prefix is produced


def test_64_mib_stream_in_bounded_memory(pem: bytes) -> None:
    block = bytes(range(256)) * (CHUNK_SIZE // 256)
    count = 64 * 1024 * 1024 // CHUNK_SIZE

    class Generated(BodySource):
        size = count * CHUNK_SIZE
        replayable = True

        def iter_chunks(self) -> Iterator[bytes]:
            for _ in range(count):
                yield block

        async def aiter_chunks(self) -> AsyncIterator[bytes]:  # pragma: no cover
            for _ in range(count):
                yield block

    source = EncryptedSource(Generated(), pem)
    total = 0
    tracemalloc.start()
    try:
        for chunk in source.iter_chunks():
            total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == source.size
    assert peak < 16 * 1024 * 1024, f"peak {peak} bytes"


# --- exact boundaries and messages ---------------------------------------------------------------


def test_the_minimum_key_size_is_2048_bits_exactly() -> None:
    short = rsa.generate_private_key(public_exponent=65537, key_size=2047).public_key()
    with pytest.raises(EncryptionKeyError) as info:
        load_public_key(short)
    assert str(info.value) == "the RSA public key has 2047 bits; at least 2048 are required"
    pem_2047 = short.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(EncryptionKeyError, match="2047 bits"):
        load_public_key(pem_2047)
    enough = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    assert load_public_key(enough) is enough


def test_key_refusals_say_what_was_wrong(pem: bytes) -> None:
    def message(key: str | bytes) -> str:
        with pytest.raises(EncryptionKeyError) as info:
            load_public_key(key)
        return str(info.value)

    assert message("é") == "the public key is not a PEM (non-ASCII text)"
    assert message("not a key") == (
        "the public key is not a PEM public key (expected 'BEGIN PUBLIC KEY' or 'BEGIN RSA PUBLIC KEY')"
    )
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert message(ec_pem) == "the public key is not an RSA key (ECPublicKey)"


def test_only_a_pem_written_on_one_line_is_unescaped(pem: bytes) -> None:
    """``\\n`` sequences become line breaks only when the PEM has no real line break: a PEM
    with real line breaks is taken as it is, and one that mixes both is refused."""
    escaped = pem.decode().strip().replace("\n", "\\n")
    assert load_public_key(escaped + "\n").key_size == 2048  # a trailing real newline is fine
    lines = pem.decode().splitlines()
    mixed = "\n".join([lines[0], "\\n".join(lines[1:3]), *lines[3:]])
    with pytest.raises(EncryptionKeyError, match="not a PEM public key"):
        load_public_key(mixed)


def test_in_memory_refusal_of_an_empty_image_says_so(pem: bytes) -> None:
    with pytest.raises(InvalidInputError) as info:
        encrypt_image(b"", pem)
    assert str(info.value) == "empty upload: the file has no content"


class _NoChunks(BodySource):
    """An inner source that ends without yielding anything (and without refusing)."""

    size = 0
    replayable = True

    def iter_chunks(self) -> Iterator[bytes]:
        yield from ()

    async def aiter_chunks(self) -> AsyncIterator[bytes]:
        for chunk in ():
            yield chunk


def test_an_inner_source_with_no_chunks_encrypts_nothing_of_its_own(
    private_key: rsa.RSAPrivateKey, pem: bytes
) -> None:
    source = EncryptedSource(_NoChunks(), pem)
    raw = b"".join(source.iter_chunks())
    assert len(raw) == source.size
    assert decrypt_envelope(parse(raw), private_key) == b""


@pytest.mark.anyio
async def test_an_async_inner_source_with_no_chunks_encrypts_nothing_of_its_own(
    private_key: rsa.RSAPrivateKey, pem: bytes
) -> None:
    source = EncryptedSource(_NoChunks(), pem)
    raw = b"".join([chunk async for chunk in source.aiter_chunks()])
    assert len(raw) == source.size
    assert decrypt_envelope(parse(raw), private_key) == b""
