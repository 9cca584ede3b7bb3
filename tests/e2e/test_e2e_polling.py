"""End to end, sync and async: the pull queue (list, download, ack, poll_and_process) and the
upload history (uploads.list, list_all, recent, download)."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from e2ehelpers import jpeg_bytes

from apertur_api.models import AckResult, PollImage, PollResult, UploadsPage
from apertur_ext import InvalidInputError, InvalidResponseError, PollSummary


def _session_with_images(client: Any, count: int) -> tuple[str, dict[str, bytes]]:
    uuid = client.sessions.create(long_polling=True).uuid
    sent = {}
    for n in range(count):
        data = jpeg_bytes(10_000 + n)
        sent[client.upload.image(uuid, data, filename=f"{n}.jpg").id] = data
    return uuid, sent


def test_list_download_ack(client: Any, tmp_path: Any) -> None:
    uuid, sent = _session_with_images(client, 2)
    listed = client.polling.list(uuid)
    assert isinstance(listed, PollResult)
    assert {image.id for image in listed.images} == set(sent)
    first, second = listed.images
    assert client.polling.download(uuid, first.id) == sent[first.id]
    target = tmp_path / "second.jpg"
    assert client.polling.download(uuid, second.id, to=target) == len(sent[second.id])
    assert target.read_bytes() == sent[second.id]
    buffer = io.BytesIO()
    client.polling.download(uuid, second.id, to=buffer)
    assert buffer.getvalue() == sent[second.id]
    ack = client.polling.ack(uuid, first.id)
    assert isinstance(ack, AckResult)
    assert [image.id for image in client.polling.list(uuid).images] == [second.id]


def test_poll_and_process_handles_and_acks_everything(client: Any) -> None:
    uuid, sent = _session_with_images(client, 3)
    received: dict[str, bytes] = {}

    def handler(image: PollImage, data: bytes) -> None:
        received[image.id] = data

    summary = client.polling.poll_and_process(uuid, handler, interval=0.01, max_images=3)
    assert isinstance(summary, PollSummary)
    assert summary.processed == 3
    assert summary.acknowledged == 3
    assert received == sent
    assert client.polling.list(uuid).images == []


def test_poll_and_process_takes_only_callables(client: Any) -> None:
    uuid, sent = _session_with_images(client, 1)
    with pytest.raises(InvalidInputError, match="handler must be callable"):
        client.polling.poll_and_process(uuid, "not a function", max_images=1)
    with pytest.raises(InvalidInputError, match="on_error must be callable"):
        client.polling.poll_and_process(uuid, print, on_error=42, max_images=1)
    assert [image.id for image in client.polling.list(uuid).images] == list(sent)


def test_poll_and_process_leaves_failed_images_in_the_queue(client: Any) -> None:
    uuid, sent = _session_with_images(client, 2)
    bad = sorted(sent)[0]
    errors: list[str] = []

    def handler(image: PollImage, data: bytes) -> None:
        if image.id == bad:
            raise RuntimeError("handler failed")

    summary = client.polling.poll_and_process(
        uuid,
        handler,
        interval=0.01,
        max_images=2,
        error_policy="skip",
        on_error=lambda image, exc: errors.append(image.id),
    )
    assert summary.acknowledged == 1
    assert [image_id for image_id, _ in summary.failed] == [bad]
    assert errors == [bad]
    assert [image.id for image in client.polling.list(uuid).images] == [bad]


def test_upload_history(client: Any, tmp_path: Any) -> None:
    _, sent = _session_with_images(client, 3)
    page = client.uploads.list(page=1, page_size=2)
    assert isinstance(page, UploadsPage)
    assert page.total == 3
    assert len(page.data) == 2
    assert {row.id for row in client.uploads.list_all(page_size=2)} == set(sent)
    recent = client.uploads.recent(limit=1)
    assert len(recent) == 1
    record = recent[0].id
    assert client.uploads.download(record) == sent[record]
    target = tmp_path / "record.jpg"
    assert client.uploads.download(record, to=target) == len(sent[record])
    assert target.read_bytes() == sent[record]


def test_poll_and_process_refuses_a_download_of_another_size(
    client: Any, control: httpx.Client
) -> None:
    """A download answered 200 with a body other than the image (of another size than the
    listing's ``size_bytes``) reaches no handler, is not acknowledged and ends the run."""
    uuid, sent = _session_with_images(client, 1)
    [image_id] = sent
    control.post("/_local/faults", json={"method": "GET", "path": f"/images/{image_id}$",
                                         "action": "status", "status": 200})  # fmt: skip
    handled: list[str] = []
    with pytest.raises(InvalidResponseError, match=f"but size_bytes is {len(sent[image_id])}"):
        client.polling.poll_and_process(
            uuid, lambda image, data: handled.append(image.id), max_images=1
        )
    assert handled == []
    assert [image.id for image in client.polling.list(uuid).images] == [image_id]
