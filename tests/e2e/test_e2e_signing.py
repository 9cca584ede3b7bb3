"""End to end, sync and async: request signing against a server that requires it (§5.4)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from e2ehelpers import jpeg_bytes, make_client

from apertur_ext import AuthenticationError
from apertur_local import LocalApertur

SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def signing_server() -> Iterator[LocalApertur]:
    with LocalApertur(signing_secret=SECRET) as server:
        yield server


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_signed_requests_are_accepted(
    signing_server: LocalApertur, kind: str, tmp_path: Any
) -> None:
    for client in make_client(kind, signing_server, signing_secret=SECRET):
        uuid = client.sessions.create(long_polling=True, tags=["signed"]).uuid  # JSON
        status = client.sessions.delivery_status(uuid)  # body-less GET
        client.sessions.delivery_status(uuid, poll_from="1970-01-01T00:00:00.000Z")  # query
        assert status.status
        data = jpeg_bytes()
        client.upload.image(uuid, data)  # multipart: never signed, accepted
        (image,) = client.polling.list(uuid).images
        assert client.polling.download(uuid, image.id, to=tmp_path / "x.jpg") == len(data)
        assert client.polling.ack(uuid, image.id).status  # POST with {}
        assert client.sessions.qr(uuid, format="svg")


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("secret", [None, "wrong-secret"])
def test_unsigned_or_badly_signed_requests_are_refused(
    signing_server: LocalApertur, kind: str, secret: str | None
) -> None:
    for client in make_client(kind, signing_server, signing_secret=secret):
        with pytest.raises(AuthenticationError) as info:
            client.stats.get()
        assert info.value.code == "INVALID_SIGNATURE"
        assert SECRET not in str(info.value)
