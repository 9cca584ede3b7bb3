"""``poll_and_process`` checks each download against the listing: an empty body, or one of
another size than the ``size_bytes`` announced, is never handed to the handler nor acknowledged;
the run ends with :class:`InvalidResponseError` and the image stays queued. Sync and async
clients, over ``httpx.MockTransport`` (a server that misbehaves on purpose)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

from apertur_ext import Apertur, AsyncApertur, InvalidResponseError, ResponseTooLargeError

KEY = "aptr_test_downloads"
UUID = "0b7f4c1e-6a53-4c43-9d55-3f0e1a2b3c4d"
CHUNK = 1000


class Queue:
    """One session's queue: ``images`` maps an id to (the listing's size_bytes or None, body);
    records the acknowledgements and how many chunks of each body were sent."""

    def __init__(self, images: dict[str, tuple[int | None, bytes]]) -> None:
        self.images = images
        self.acked: list[str] = []
        self.chunks_sent: dict[str, int] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.split("/")  # ['', 'api', 'v1', 'upload-sessions', uuid, ...]
        if parts[5:] == ["poll"]:
            listed = [
                {"id": i, "filename": "photo.jpg"} | ({} if size is None else {"size_bytes": size})
                for i, (size, _) in self.images.items()
                if i not in self.acked
            ]
            return httpx.Response(200, json={"images": listed})
        image_id = parts[6]
        if parts[7:] == ["ack"]:
            self.acked.append(image_id)
            return httpx.Response(200, json={"status": "acknowledged"})
        body = self.images[image_id][1]
        self.chunks_sent[image_id] = 0
        return httpx.Response(200, content=self.chunked(image_id, body))

    def chunked(self, image_id: str, body: bytes) -> Iterator[bytes]:
        for start in range(0, len(body), CHUNK):
            self.chunks_sent[image_id] += 1
            yield body[start : start + CHUNK]


class AsyncBody(httpx.AsyncByteStream):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks

    async def __aiter__(self) -> Any:
        for piece in self.chunks:
            yield piece


def poll(queue: Queue, mode: str, **client_options: Any) -> tuple[list[bytes], Any]:
    """One ``poll_and_process`` run (at most one image) with the sync or async client; the
    bytes its handler got, and its summary or the error that ended it."""
    handled: list[bytes] = []
    options = {"base_url": "https://api.example", "max_retries": 0, **client_options}

    def handler(image: Any, data: bytes) -> None:
        handled.append(data)

    def async_queue(request: httpx.Request) -> httpx.Response:
        response = queue(request)
        if isinstance(response.stream, httpx.SyncByteStream):
            response.stream = AsyncBody(iter(response.stream))
        return response

    async def main() -> Any:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(async_queue)) as http,
            AsyncApertur(KEY, http_client=http, **options) as client,
        ):
            return await client.polling.poll_and_process(UUID, handler, max_images=1)

    try:
        if mode == "async":
            return handled, anyio.run(main)
        with (
            httpx.Client(transport=httpx.MockTransport(queue)) as http,
            Apertur(KEY, http_client=http, **options) as client,
        ):
            return handled, client.polling.poll_and_process(UUID, handler, max_images=1)
    except Exception as exc:
        return handled, exc


MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("size", "body", "message"),
    [
        (5000, b"", "has 0 bytes but size_bytes is 5000"),
        (None, b"", "is empty"),
        (0, b"", "is empty"),
        (5000, b"x" * 10, "has 10 bytes but size_bytes is 5000"),
    ],
    ids=["empty", "empty-unannounced", "empty-announced-empty", "short"],
)
def test_an_empty_or_short_download_is_refused_and_stays_queued(
    mode: str, size: int | None, body: bytes, message: str
) -> None:
    queue = Queue({"img_1": (size, body)})
    handled, outcome = poll(queue, mode)
    assert isinstance(outcome, InvalidResponseError)
    assert not isinstance(outcome, ResponseTooLargeError)
    assert f"the download of image img_1 {message}" in str(outcome)
    assert handled == []
    assert queue.acked == []


@pytest.mark.parametrize("mode", MODES)
def test_a_download_longer_than_announced_stops_at_the_announced_size(mode: str) -> None:
    queue = Queue({"img_1": (4, b"x" * 50 * CHUNK)})
    handled, outcome = poll(queue, mode)
    assert isinstance(outcome, ResponseTooLargeError)
    assert "larger than 4 bytes (max_bytes)" in str(outcome)
    assert queue.chunks_sent["img_1"] < 50  # reading stopped early
    assert handled == []
    assert queue.acked == []


@pytest.mark.parametrize("mode", MODES)
def test_an_announced_size_past_max_download_bytes_does_not_raise_the_bound(mode: str) -> None:
    queue = Queue({"img_1": (50 * CHUNK, b"x" * 50 * CHUNK)})
    handled, outcome = poll(queue, mode, max_download_bytes=CHUNK)
    assert isinstance(outcome, ResponseTooLargeError)
    assert "(max_download_bytes)" in str(outcome)
    assert handled == []
    assert queue.acked == []


BODY = bytes(range(256)) * 12 + b"1234567"  # several chunks, the last one short


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", [len(BODY), None])
def test_a_download_of_the_announced_size_or_of_none_is_handled_and_acknowledged(
    mode: str, size: int | None
) -> None:
    queue = Queue({"img_1": (size, BODY)})
    handled, summary = poll(queue, mode)
    assert handled == [BODY]
    assert queue.acked == ["img_1"]
    assert summary.acknowledged == 1
