"""Plain uploads U1: streaming to disk, content sniffing, session rules, limits, filenames."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from localhelpers import (
    client_for,
    create_session,
    make_gif,
    make_jpeg_header,
    make_png,
    make_webp,
    upload,
)

from apertur_local import LocalApertur
from apertur_local._handlers import _intake
from apertur_local._handlers._intake import MEMORY_BUDGET, MemoryBudget, ReceivedUpload
from apertur_local._storage import BlobStore


@pytest.fixture(scope="module")
def small_server() -> Iterator[LocalApertur]:
    with LocalApertur(max_body_bytes=64 * 1024) as server:
        yield server


def test_upload_result_and_stored_bytes(api: httpx.Client, apertur_local: LocalApertur) -> None:
    sid = create_session(api, long_polling=True)
    data = make_png(30, 20)
    response = upload(api, sid, data, filename="holiday.png", source="gallery")
    assert response.status_code == 201
    body = response.json()
    assert body["filename"] == "holiday.png"
    assert body["size_bytes"] == len(data)
    assert body["destinations"] == 0
    assert body["long_polling"] is True
    assert api.get(f"/api/v1/upload-sessions/{sid}/images/{body['id']}").content == data
    stored = list((apertur_local.data_dir / "blobs").iterdir())
    assert [p.name for p in stored] == [body["id"]]
    assert list((apertur_local.data_dir / "tmp").iterdir()) == []


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (make_png(), "image/png"),
        (make_jpeg_header(), "image/jpeg"),
        (make_gif(), "image/gif"),
        (make_webp(), "image/webp"),
    ],
)
def test_type_is_judged_from_content(api: httpx.Client, data: bytes, mime: str) -> None:
    sid = create_session(api, long_polling=True)
    # declared type and extension lie; the content decides
    assert upload(api, sid, data, filename="x.bin", content_type="text/plain").status_code == 201
    (image,) = api.get(f"/api/v1/upload-sessions/{sid}/poll").json()["images"]
    assert image["mime_type"] == mime
    downloaded = api.get(f"/api/v1/upload-sessions/{sid}/images/{image['id']}")
    assert downloaded.headers["content-type"] == mime


def test_allowed_mime_types_from_content(api: httpx.Client) -> None:
    sid = create_session(api, allowed_mime_types=["image/jpeg"])
    disguised = upload(api, sid, make_png(), filename="a.jpg", content_type="image/jpeg")
    assert disguised.status_code == 400
    assert "image/png" in disguised.json()["message"]
    assert upload(api, sid, make_jpeg_header(), content_type="image/png").status_code == 201


def test_max_image_dimension(api: httpx.Client) -> None:
    sid = create_session(api, max_image_dimension=100)
    assert upload(api, sid, make_png(100, 50)).status_code == 201
    too_big = upload(api, sid, make_jpeg_header(101, 10))
    assert too_big.status_code == 400
    assert "101x10" in too_big.json()["message"]


def test_max_images_then_completed(api: httpx.Client) -> None:
    sid = create_session(api, max_images=2)
    assert upload(api, sid, make_png()).status_code == 201
    assert upload(api, sid, make_png()).status_code == 201
    third = upload(api, sid, make_png())
    assert third.status_code == 409
    assert third.json()["code"] == "CONFLICT"
    assert api.get(f"/api/v1/upload/{sid}/session").json()["status"] == "completed"


def test_max_image_size_mb(api: httpx.Client) -> None:
    sid = create_session(api)
    api.patch(f"/api/v1/upload-sessions/{sid}", json={"max_image_size_mb": 1})
    big = make_png() + b"\x00" * (1024 * 1024)
    response = upload(api, sid, big)
    assert response.status_code == 413
    assert response.json()["code"] == "PAYLOAD_TOO_LARGE"
    assert upload(api, sid, make_png()).status_code == 201


@pytest.mark.parametrize(
    "raw_name",
    ["../../etc/passwd.png", "..\\..\\windows\\x.png", "/abs/path.png", "..", "a\x00b.png", ""],
)
def test_path_traversal_filenames_never_choose_a_path(
    api: httpx.Client, apertur_local: LocalApertur, raw_name: str
) -> None:
    sid = create_session(api)
    response = upload(api, sid, make_png(), filename=raw_name)
    assert response.status_code == 201
    name = response.json()["filename"]
    assert "/" not in name
    assert "\\" not in name
    assert name not in ("", ".", "..")
    blobs = apertur_local.data_dir / "blobs"
    assert [p.name for p in blobs.iterdir()] == [response.json()["id"]]
    assert not (apertur_local.data_dir.parent / "etc").exists()


def test_not_an_image_empty_and_missing_part(api: httpx.Client) -> None:
    sid = create_session(api)
    not_image = upload(api, sid, b"hello, world")
    assert not_image.status_code == 400
    assert upload(api, sid, b"").status_code == 400
    no_file = api.post(
        f"/api/v1/upload/{sid}/images", data={"source": "camera"}, files={"other": ("a", b"x")}
    )
    assert no_file.status_code == 400
    assert "file" in no_file.json()["message"]
    not_multipart = api.post(f"/api/v1/upload/{sid}/images", json={"file": "x"})
    assert not_multipart.status_code == 400
    truncated = api.post(
        f"/api/v1/upload/{sid}/images",
        content=b'--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert truncated.status_code == 400


@pytest.mark.parametrize(
    ("source", "status"),
    [("gallery", 201), ("my-app", 201), ("", 201), ("sdk", 400), ("Bad Source", 400)],
)
def test_source_rules(api: httpx.Client, source: str, status: int) -> None:
    sid = create_session(api, long_polling=True)
    response = upload(api, sid, make_png(), source=source)
    assert response.status_code == status
    if status == 201:
        (image,) = api.get(f"/api/v1/upload-sessions/{sid}/poll").json()["images"]
        assert image["source"] == (source or "camera")


def test_source_part_order_does_not_matter(api: httpx.Client) -> None:
    sid = create_session(api, long_polling=True)
    boundary = "XyZ"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + make_png()
        + (
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nupload\r\n'
            f"--{boundary}--\r\n"
        ).encode()
    )
    response = api.post(
        f"/api/v1/upload/{sid}/images",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 201
    assert api.get(f"/api/v1/upload-sessions/{sid}/poll").json()["images"][0]["source"] == "upload"


def test_bad_encryption_header(api: httpx.Client) -> None:
    sid = create_session(api)
    response = upload(api, sid, make_png(), headers={"X-Aptr-Encrypted": "e2e"})
    assert response.status_code == 400


def test_oversized_body_by_content_length(small_server: LocalApertur) -> None:
    with client_for(small_server) as client:
        sid = create_session(client)
        response = upload(client, sid, make_png() + b"\x00" * (80 * 1024))
        assert response.status_code == 413
        assert response.json()["code"] == "PAYLOAD_TOO_LARGE"
        assert list((small_server.data_dir / "tmp").iterdir()) == []


def test_oversized_chunked_body_is_cut_off(small_server: LocalApertur) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
        yield make_png()
        for _ in range(40):
            yield b"\x00" * 4096
        yield b"\r\n--b--\r\n"

    with client_for(small_server) as client:
        sid = create_session(client)
        response = client.post(
            f"/api/v1/upload/{sid}/images",
            content=chunks(),
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
        assert response.status_code == 413
        assert upload(client, sid, make_png()).status_code == 201


def test_an_upload_with_a_wrong_key_is_refused(apertur_local: LocalApertur) -> None:
    """Without a key the session id is enough (test_upload_page_access); a key sent is checked."""
    with client_for(apertur_local) as client:
        sid = create_session(client)
    wrong = httpx.post(
        f"{apertur_local.url}/api/v1/upload/{sid}/images",
        files={"file": ("a.png", make_png())},
        headers={"Authorization": "Bearer aptr_test_wrong"},
    )
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "AUTHENTICATION_FAILED"


@pytest.fixture
def temp_files(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The temp files the server makes (``BlobStore.new_temp``), in order."""
    made: list[Path] = []
    real = BlobStore.new_temp

    def new_temp(self: BlobStore) -> Path:
        made.append(real(self))
        return made[-1]

    monkeypatch.setattr(BlobStore, "new_temp", new_temp)
    return made


def chunked(*parts: bytes) -> Iterator[bytes]:
    """A body sent without ``Content-Length``."""
    yield from parts


def file_part(data: bytes) -> list[bytes]:
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
    return [head, data, b"\r\n--b--\r\n"]


def test_a_small_upload_is_received_in_memory_and_written_once(
    api: httpx.Client, apertur_local: LocalApertur, temp_files: list[Path]
) -> None:
    sid = create_session(api, long_polling=True)
    data = make_png(30, 20) + b"\0" * 100_000
    response = upload(api, sid, data)
    assert response.status_code == 201
    assert temp_files == []  # no temp file: the blob is written where it stays
    assert api.get(f"/api/v1/upload-sessions/{sid}/images/{response.json()['id']}").content == data
    assert apertur_local.app.upload_memory.used == 0  # given back


@pytest.mark.parametrize("why", ["chunked", "over the limit", "no budget left"])
def test_other_uploads_are_received_in_a_temp_file(
    api: httpx.Client,
    apertur_local: LocalApertur,
    temp_files: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    why: str,
) -> None:
    sid = create_session(api, long_polling=True)
    data = make_png(30, 20) + b"\0" * 5000
    budget = apertur_local.app.upload_memory
    if why == "chunked":
        response = api.post(
            f"/api/v1/upload/{sid}/images",
            content=chunked(*file_part(data)),
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
    else:
        if why == "over the limit":
            monkeypatch.setattr(_intake, "MEMORY_BODY_LIMIT", 5000)
        else:
            monkeypatch.setattr(budget, "used", budget.total - 5000)
        response = upload(api, sid, data)
    assert response.status_code == 201
    assert len(temp_files) == 1
    assert not temp_files[0].exists()  # it became the blob
    assert api.get(f"/api/v1/upload-sessions/{sid}/images/{response.json()['id']}").content == data
    assert budget.used == (budget.total - 5000 if why == "no budget left" else 0)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"hello, world", id="not an image"),
        pytest.param(b"", id="empty"),
        pytest.param(make_png(4000, 4000), id="too many pixels"),
    ],
)
def test_a_refused_upload_gives_its_memory_back(
    api: httpx.Client, apertur_local: LocalApertur, temp_files: list[Path], body: bytes
) -> None:
    sid = create_session(api, max_image_dimension=1000)
    assert upload(api, sid, body).status_code == 400
    assert apertur_local.app.upload_memory.used == 0
    assert temp_files == []
    assert list((apertur_local.data_dir / "blobs").iterdir()) == []


def test_a_truncated_upload_gives_its_memory_back(
    api: httpx.Client, apertur_local: LocalApertur
) -> None:
    sid = create_session(api)
    response = api.post(
        f"/api/v1/upload/{sid}/images",
        content=b"".join(file_part(make_png()))[:-4],
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 400
    assert apertur_local.app.upload_memory.used == 0


def test_the_memory_budget_bounds_what_uploads_keep_in_memory() -> None:
    budget = MemoryBudget(100)
    assert budget.take(60)
    assert not budget.take(41)  # would pass the total: nothing reserved
    assert budget.used == 60
    assert budget.take(40)
    assert not budget.take(1)
    budget.give_back(60)
    assert budget.used == 40
    assert budget.take(60)
    assert MemoryBudget().total == MEMORY_BUDGET


def test_a_received_upload_is_released_once() -> None:
    budget = MemoryBudget(100)
    assert budget.take(30)
    received = ReceivedUpload(data=b"x", budget=budget, reserved=30)
    received.release()
    received.release()
    assert budget.used == 0
    assert received.data is None
