"""End to end, sync and async: API errors arrive as the typed exceptions, without secrets."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from e2ehelpers import jpeg_bytes, make_client

from apertur_ext import (
    AuthenticationError,
    GoneError,
    NotFoundError,
    ValidationError,
)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_unknown_key_is_401(apertur_local: Any, kind: str) -> None:
    bad_key = "aptr_test_not_a_real_key_123"
    for client in make_client(kind, apertur_local, api_key=bad_key):
        with pytest.raises(AuthenticationError) as info:
            client.stats.get()
        assert info.value.status_code == 401
        assert bad_key not in str(info.value)
        assert bad_key not in repr(info.value)
        assert bad_key.encode() not in (info.value.body or b"")


def test_not_found(client: Any, apertur_local: Any) -> None:
    with pytest.raises(NotFoundError) as info:
        client.sessions.get("00000000-0000-0000-0000-000000000000")
    assert info.value.code
    with pytest.raises(NotFoundError):
        client.polling.download("00000000-0000-0000-0000-000000000000", "img_x")
    with pytest.raises(NotFoundError):
        client.keys.delete(apertur_local.project_id, "key_nope")


def test_expired_session_is_410(client: Any, control: httpx.Client) -> None:
    uuid = client.sessions.create(expires_in_hours=1).uuid
    control.post("/_local/clock", json={"advance": 2 * 3600}).raise_for_status()
    with pytest.raises(GoneError) as info:
        client.upload.image(uuid, jpeg_bytes())
    assert info.value.status_code == 410


def test_not_an_image_is_400(client: Any) -> None:
    uuid = client.sessions.create().uuid
    with pytest.raises(ValidationError) as info:
        client.upload.image(uuid, b"plain text, not an image", mime_type="image/jpeg")
    assert info.value.status_code == 400
    assert info.value.message


def test_invalid_source_is_400(client: Any) -> None:
    uuid = client.sessions.create().uuid
    with pytest.raises(ValidationError):
        client.upload.image(uuid, jpeg_bytes(), source="sdk")
