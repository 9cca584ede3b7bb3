"""End to end, sync and async: retries against the server's fault injection (/_local/faults).

Retry-After is set to 0.01 s in the injected answers so that the tests wait (almost) nothing.
"""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from e2ehelpers import chunks_of, jpeg_bytes, make_client

from apertur_ext import (
    APIConnectionError,
    RateLimitError,
    ServerError,
    UploadMayHaveBeenStoredError,
)

UPLOAD_PATH = r"^/api/v1/upload/[^/]+/images$"


def _fault(control: httpx.Client, path: str, count: int = 1, **fault: Any) -> None:
    fault.setdefault("action", "status")
    if fault["action"] == "status":
        fault.setdefault("retry_after", "0.01")
    control.post("/_local/faults", json={"path": path, "count": count, **fault}).raise_for_status()


def _left(control: httpx.Client) -> Any:
    return control.get("/_local/faults").json()


def test_5xx_is_retried_until_success(client: Any, control: httpx.Client) -> None:
    _fault(control, "^/api/v1/stats$", count=2, status=503)
    assert client.stats.get().sessions_total == 0


def test_retries_run_out(client: Any, control: httpx.Client) -> None:
    _fault(control, "^/api/v1/stats$", count=3, status=502)
    with pytest.raises(ServerError) as info:
        client.stats.get()
    assert info.value.status_code == 502


def test_per_call_max_retries(client: Any, control: httpx.Client) -> None:
    _fault(control, "^/api/v1/stats$", count=1, status=500)
    with pytest.raises(ServerError):
        client.stats.get(max_retries=0)
    assert client.stats.get(max_retries=0).sessions_total == 0  # the fault was used up


def test_429_honours_retry_after(client: Any, control: httpx.Client) -> None:
    _fault(control, "^/api/v1/encryption/server-key$", count=1, status=429)
    assert client.encryption.get_server_key().public_key


def test_429_without_retries_carries_retry_after(client: Any, control: httpx.Client) -> None:
    _fault(control, "^/api/v1/stats$", count=1, status=429, retry_after="7")
    with pytest.raises(RateLimitError) as info:
        client.stats.get(max_retries=0)
    assert info.value.retry_after == 7.0


def test_dropped_connection_is_retried(client: Any, control: httpx.Client) -> None:
    uuid = client.sessions.create().uuid
    _fault(control, "/session$", count=1, action="close_before")
    assert client.sessions.get(uuid).id == uuid


@pytest.mark.parametrize("kind", ["path", "bytes", "file"])
def test_replayable_upload_is_retried_after_503(
    client: Any, control: httpx.Client, tmp_path: Any, kind: str
) -> None:
    uuid = client.sessions.create(long_polling=True).uuid
    data = jpeg_bytes(50_000)
    path = tmp_path / "x.jpg"
    path.write_bytes(data)
    inputs = {"path": str(path), "bytes": data, "file": io.BytesIO(data)}
    _fault(control, UPLOAD_PATH, count=1, status=503)
    client.upload.image(uuid, inputs[kind])
    images = client.polling.list(uuid).images
    assert len(images) == 1
    assert client.polling.download(uuid, images[0].id) == data


def test_encrypted_upload_is_re_encrypted_on_retry(client: Any, control: httpx.Client) -> None:
    uuid = client.sessions.create(long_polling=True).uuid
    data = jpeg_bytes(50_000)
    _fault(control, UPLOAD_PATH, count=1, status=429)
    client.upload.image_encrypted(uuid, data)
    (image,) = client.polling.list(uuid).images
    assert client.polling.download(uuid, image.id) == data


def test_one_shot_upload_is_never_re_sent(client: Any, control: httpx.Client) -> None:
    uuid = client.sessions.create().uuid
    _fault(control, UPLOAD_PATH, count=1, status=503)
    with pytest.raises(ServerError):
        client.upload.image(uuid, chunks_of(jpeg_bytes()))
    assert client.uploads.list().total == 0


def test_ambiguous_upload_failure_is_reported_not_retried(
    client: Any, control: httpx.Client
) -> None:
    uuid = client.sessions.create().uuid
    _fault(control, UPLOAD_PATH, count=1, action="close_after")
    with pytest.raises(UploadMayHaveBeenStoredError) as info:
        client.upload.image(uuid, jpeg_bytes())
    assert "may have stored" in str(info.value)
    assert client.uploads.list().total == 1  # it was stored: a blind retry would duplicate it


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_ambiguous_upload_retry_is_opt_in(
    apertur_local: Any, control: httpx.Client, kind: str
) -> None:
    for client in make_client(kind, apertur_local, retry_ambiguous_uploads=True):
        uuid = client.sessions.create().uuid
        _fault(control, UPLOAD_PATH, count=1, action="close_after")
        assert client.upload.image(uuid, jpeg_bytes()).id
        assert client.uploads.list().total == 2  # the caller accepted the duplicate


def test_truncated_download_leaves_no_file(
    client: Any, control: httpx.Client, tmp_path: Any
) -> None:
    uuid = client.sessions.create(long_polling=True).uuid
    client.upload.image(uuid, jpeg_bytes(200_000))
    (image,) = client.polling.list(uuid).images
    _fault(control, "/images/img_", count=3, action="truncate", keep_bytes=1000)
    target = tmp_path / "out.jpg"
    with pytest.raises(APIConnectionError):
        client.polling.download(uuid, image.id, to=target)
    assert list(tmp_path.iterdir()) == []
