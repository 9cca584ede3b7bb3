"""End to end, sync and async: the ``sessions`` namespace against apertur_local."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from e2ehelpers import jpeg_bytes

from apertur_api.models import CreateSessionResult, DeliveryStatus, Session, SessionStatus
from apertur_ext import ValidationError


def test_create_and_get(client: Any) -> None:
    created = client.sessions.create(max_images=5, tags=["order-1"], long_polling=True)
    assert isinstance(created, CreateSessionResult)
    assert created.uuid
    assert created.upload_url
    session = client.sessions.get(created.uuid)
    assert isinstance(session, Session)
    assert session.id == created.uuid
    assert session.status == SessionStatus.ACTIVE
    assert session.password_protected is False


def test_create_with_every_option(client: Any) -> None:
    created = client.sessions.create(
        destination_ids=[],
        long_polling=False,
        tags=["a", "b"],
        expires_in_hours=2,
        max_images=3,
        allowed_mime_types=["image/jpeg", "image/png"],
        max_image_dimension=4000,
        metadata={"order": 7},
    )
    session = client.sessions.get(created.uuid)
    assert session.tags == ["a", "b"]
    assert session.effective_max_images == 3


def test_password_lifecycle(client: Any) -> None:
    created = client.sessions.create(password="s3cr3t")
    assert client.sessions.get(created.uuid).password_protected is True
    assert client.sessions.verify_password(created.uuid, "s3cr3t").valid is True
    assert client.sessions.verify_password(created.uuid, "wrong").valid is False
    # Leaving password out keeps it; password=None removes it.
    client.sessions.update(created.uuid, max_images=9)
    assert client.sessions.get(created.uuid).password_protected is True
    updated = client.sessions.update(created.uuid, password=None)
    assert isinstance(updated, Session)
    assert updated.password_protected is False


def test_update_fields(client: Any) -> None:
    created = client.sessions.create()
    updated = client.sessions.update(
        created.uuid, max_images=2, allowed_mime_types=["image/png"], max_image_dimension=100
    )
    assert updated.effective_max_images == 2
    assert updated.effective_allowed_mime_types == ["image/png"]


def test_list_recent_and_list_all(client: Any) -> None:
    ids = {client.sessions.create().uuid for _ in range(3)}
    page = client.sessions.list(page=1, page_size=2)
    assert page.total == 3
    assert page.page_size == 2
    assert len(page.data) == 2
    assert {row.id for row in client.sessions.list_all(page_size=2)} == ids
    recent = client.sessions.recent(limit=2)
    assert len(recent) == 2
    assert {row.id for row in recent} <= ids


def test_qr_bytes_path_and_file(client: Any, tmp_path: Any) -> None:
    uuid = client.sessions.create().uuid
    png = client.sessions.qr(uuid, format="png", size=128)
    assert png.startswith(b"\x89PNG")
    target = tmp_path / "qr.png"
    written = client.sessions.qr(uuid, format="png", size=128, to=target)
    assert written == len(png)
    assert target.read_bytes() == png
    assert [p.name for p in tmp_path.iterdir()] == ["qr.png"]  # no temp file left behind
    buffer = io.BytesIO()
    assert client.sessions.qr(uuid, format="svg", fg="ff0000", border_size=2, to=buffer) > 0
    assert b"<svg" in buffer.getvalue()


def test_delivery_status_snapshot(client: Any) -> None:
    uuid = client.sessions.create().uuid
    client.upload.image(uuid, jpeg_bytes(), filename="one.jpg")
    status = client.sessions.delivery_status(uuid)
    assert isinstance(status, DeliveryStatus)
    assert status.status == SessionStatus.ACTIVE
    assert [f.filename for f in status.files] == ["one.jpg"]
    assert status.last_changed


def test_delivery_status_long_poll_returns_on_change(client: Any) -> None:
    uuid = client.sessions.create().uuid
    cursor = client.sessions.delivery_status(uuid).last_changed
    result: dict[str, Any] = {}

    def poll() -> None:
        result["status"] = client.sessions.delivery_status(uuid, poll_from=cursor)

    poll_thread = threading.Thread(target=poll)  # clients are thread-safe; the portal too
    poll_thread.start()
    client.upload.image(uuid, jpeg_bytes(), filename="late.jpg")
    poll_thread.join(30)
    assert not poll_thread.is_alive()
    status = result["status"]
    assert [f.filename for f in status.files] == ["late.jpg"]
    assert status.last_changed != cursor


def test_share_by_email(client: Any) -> None:
    uuid = client.sessions.create().uuid
    shared = client.sessions.share(uuid, channel="email", recipient="a@example.com", note="hi")
    assert shared.ok is True


def test_share_sms_without_consent_is_rejected(client: Any) -> None:
    uuid = client.sessions.create().uuid
    with pytest.raises(ValidationError):
        client.sessions.share(uuid, channel="sms", recipient="+15550100")


def test_wait_for_delivery_follows_the_cursor(client: Any, apertur_local: Any) -> None:
    from apertur_api.models import DeliveryState
    from apertur_ext import at_least

    dest = client.destinations.create(
        apertur_local.project_id, type="s3", name="bucket", config={"bucket": "b"}
    )
    uuid = client.sessions.create(destination_ids=[dest.id]).uuid
    client.upload.image(uuid, jpeg_bytes(), filename="x.jpg")
    status = client.sessions.wait_for_delivery(uuid, at_least(1), timeout=30, min_interval=0.01)
    assert [d.status for d in status.files[0].destinations] == [DeliveryState.SENT]


def test_wait_for_delivery_times_out_with_last_status(client: Any) -> None:
    from apertur_ext import DeliveryTimeoutError, at_least

    uuid = client.sessions.create().uuid
    with pytest.raises(DeliveryTimeoutError) as info:
        client.sessions.wait_for_delivery(uuid, at_least(1), timeout=1.0, min_interval=0.01)
    last = info.value.last_status
    assert last is not None
    assert (last.status, last.files) == (SessionStatus.ACTIVE, [])  # the session as it last was
