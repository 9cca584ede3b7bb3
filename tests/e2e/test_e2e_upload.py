"""End to end, sync and async: uploads of every input kind, plain and encrypted, come back
byte-identical; filenames, MIME detection, source, passwords and bad keys."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from e2ehelpers import chunks_of, jpeg_bytes, png_bytes

from apertur_api.models import UploadResult
from apertur_ext import AuthenticationError, EncryptionKeyError, PermissionDeniedError

KINDS = ["path", "bytes", "file", "iterator"]


def _as_input(kind: str, data: bytes, tmp_path: Any) -> Any:
    if kind == "path":
        path = tmp_path / "photo.jpg"
        path.write_bytes(data)
        return str(path)
    if kind == "bytes":
        return data
    if kind == "file":
        return io.BytesIO(data)
    return chunks_of(data)


def _only_image(client: Any, uuid: str) -> Any:
    images = client.polling.list(uuid).images
    assert len(images) == 1
    return images[0]


@pytest.mark.parametrize("kind", KINDS)
def test_plain_upload_round_trip(client: Any, tmp_path: Any, kind: str) -> None:
    uuid = client.sessions.create(long_polling=True).uuid
    data = jpeg_bytes(150_000)
    result = client.upload.image(uuid, _as_input(kind, data, tmp_path))
    assert isinstance(result, UploadResult)
    assert result.size_bytes == len(data)
    image = _only_image(client, uuid)
    assert image.id == result.id
    assert client.polling.download(uuid, image.id) == data


@pytest.mark.parametrize("kind", KINDS)
def test_encrypted_upload_round_trip(client: Any, tmp_path: Any, kind: str) -> None:
    uuid = client.sessions.create(long_polling=True).uuid
    data = jpeg_bytes(150_000)
    result = client.upload.image_encrypted(uuid, _as_input(kind, data, tmp_path))
    assert result.size_bytes == len(data)
    image = _only_image(client, uuid)
    assert client.polling.download(uuid, image.id) == data
    row = client.uploads.recent(limit=1)[0]
    assert row.id == result.id
    assert row.is_encrypted is True


def test_encrypted_with_explicit_key_and_options(client: Any) -> None:
    uuid = client.sessions.create(long_polling=True, password="pw").uuid
    pem = client.encryption.get_server_key().public_key
    data = png_bytes()
    result = client.upload.image_encrypted(
        uuid, data, pem, filename="pic.png", mime_type="image/png", source="gallery", password="pw"
    )
    assert result.filename == "pic.png"  # sent as pic.png.enc, the server strips ".enc"
    image = _only_image(client, uuid)
    assert image.source == "gallery"
    assert image.mime_type == "image/png"
    assert client.polling.download(uuid, image.id) == data


def test_filenames_follow_the_official_rules(client: Any, tmp_path: Any) -> None:
    uuid = client.sessions.create(long_polling=True).uuid
    path = tmp_path / "from-path.jpg"
    path.write_bytes(jpeg_bytes())
    assert client.upload.image(uuid, str(path)).filename == "from-path.jpg"
    assert client.upload.image(uuid, jpeg_bytes()).filename == "image.jpg"
    assert client.upload.image(uuid, jpeg_bytes(), filename="given.jpg").filename == "given.jpg"
    with path.open("rb") as handle:
        assert client.upload.image(uuid, handle).filename == "from-path.jpg"


def test_mime_type_is_detected_from_content(client: Any) -> None:
    uuid = client.sessions.create(long_polling=True).uuid
    client.upload.image(uuid, png_bytes(), filename="no-extension")
    assert _only_image(client, uuid).mime_type == "image/png"


def test_source_is_sent_when_given(client: Any) -> None:
    uuid = client.sessions.create(long_polling=True).uuid
    client.upload.image(uuid, jpeg_bytes(), source="gallery")
    assert _only_image(client, uuid).source == "gallery"


def test_password_protected_session(client: Any) -> None:
    uuid = client.sessions.create(password="s3cr3t").uuid
    with pytest.raises((PermissionDeniedError, AuthenticationError)) as info:
        client.upload.image(uuid, jpeg_bytes(), password="wrong")
    assert "s3cr3t" not in str(info.value)
    assert "wrong" not in repr(info.value)
    assert client.upload.image(uuid, jpeg_bytes(), password="s3cr3t").id


def _pem(key: Any) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.mark.parametrize(
    "bad_key",
    [
        "not a pem",
        _pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)),
        _pem(ec.generate_private_key(ec.SECP256R1())),
    ],
    ids=["garbage", "rsa-1024", "ec"],
)
def test_bad_key_fails_before_sending(client: Any, bad_key: str) -> None:
    uuid = client.sessions.create().uuid
    with pytest.raises(EncryptionKeyError):
        client.upload.image_encrypted(uuid, jpeg_bytes(), bad_key)
    assert client.uploads.list().total == 0


def test_async_iterator_upload(apertur_local: Any) -> None:
    """Only the async client takes async iterators (the sync one refuses them up front)."""
    import anyio

    from apertur_ext import AsyncApertur

    data = jpeg_bytes(100_000)

    async def source() -> AsyncIterator[bytes]:
        for chunk in chunks_of(data, 10_000):
            yield chunk

    async def main() -> None:
        async with AsyncApertur(apertur_local.api_key, base_url=apertur_local.url) as client:
            uuid = (await client.sessions.create(long_polling=True)).uuid
            await client.upload.image(uuid, source())
            await client.upload.image_encrypted(uuid, source())
            images = (await client.polling.list(uuid)).images
            assert len(images) == 2
            for image in images:
                assert await client.polling.download(uuid, image.id) == data

    anyio.run(main)


def test_batch_upload_round_trip(client: Any, tmp_path: Any) -> None:
    """``upload.images``: every image arrives byte-identical, one outcome per source in order,
    a refused one fails alone."""
    uuid = client.sessions.create(long_polling=True).uuid
    datas = [jpeg_bytes(40_000 + n) for n in range(6)]
    for n, data in enumerate(datas):
        (tmp_path / f"{n}.jpg").write_bytes(data)
    sources = [*sorted(tmp_path.glob("*.jpg")), b"not an image", png_bytes()]
    outcomes = client.upload.images(uuid, sources, concurrency=3)
    assert [o.ok for o in outcomes] == [True] * 6 + [False, True]
    assert outcomes[6].error.status_code == 400
    for outcome, data in zip(outcomes, [*datas, None, sources[-1]], strict=True):
        if outcome.ok:
            assert client.polling.download(uuid, outcome.result.id) == data
    assert len(client.polling.list(uuid).images) == 7
