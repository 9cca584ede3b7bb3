"""The official ``apertur-sdk`` 0.2.0 (import name ``apertur``), run in the benchmark venv."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from apertur import Apertur

__all__ = ["PACKAGE", "Side"]

PACKAGE = "apertur"
"""The SDK whose every module the worker imports before timing."""

Timed = Callable[[], Any]


class _Drained(BaseException):
    """Raised after the last expected ack: ``poll_and_process`` has no stop condition."""


class Side:
    """One ``Apertur`` client pointed at the local server."""

    def __init__(self, url: str, api_key: str) -> None:
        self.client = Apertur(api_key=api_key, base_url=url)

    def close(self) -> None:
        """Close the client."""
        self.client.close()

    def warmup(self, uuid: str) -> None:
        """One small call, so every side starts with an open connection."""
        self.client.sessions.get(uuid)

    def _upload(self, uuid: str, path: str) -> None:
        self.client.upload.image(uuid, path, filename=Path(path).name, mime_type="image/jpeg")

    def upload_seq(self, uuid: str, paths: list[str]) -> Timed:
        """``upload.image`` for each file in turn."""

        def timed() -> None:
            for path in paths:
                self._upload(uuid, path)

        return timed

    def upload_concurrent(self, uuid: str, paths: list[str], inflight: int) -> Timed:
        """``upload.image`` from ``inflight`` threads sharing the client."""

        def timed() -> None:
            with ThreadPoolExecutor(inflight) as pool:
                list(pool.map(lambda p: self._upload(uuid, p), paths))

        return timed

    def wan_upload(self, uuid: str, paths: list[str], inflight: int) -> Timed:
        """The official way to send many images: ``upload.image`` in a loop (it has no batch)."""
        del inflight
        return self.upload_seq(uuid, paths)

    def upload_big(self, uuid: str, path: str) -> Timed:
        """One large file (the SDK reads it whole)."""
        return lambda: self._upload(uuid, path)

    def upload_encrypted(self, uuid: str, path: str) -> Timed:
        """``upload.image_encrypted`` with the server key fetched beforehand (not timed)."""
        public_key = self.client.encryption.get_server_key()["publicKey"]
        name = Path(path).name

        def timed() -> None:
            self.client.upload.image_encrypted(
                uuid, path, public_key, filename=name, mime_type="image/jpeg"
            )

        return timed

    def get_many(self, uuid: str, count: int) -> Timed:
        """``count`` x ``sessions.get``."""

        def timed() -> None:
            for _ in range(count):
                self.client.sessions.get(uuid)

        return timed

    def drain(self, uuid: str, expected: int, interval: float) -> Timed:
        """``polling.poll_and_process``; stopped right after the ``expected``-th ack returns."""
        seen: dict[str, int] = {}
        acks, lists = [0], [0]
        polling = self.client.polling
        real_ack, real_list = polling.ack, polling.list

        def count_list(session: str) -> Any:
            lists[0] += 1
            return real_list(session)

        def ack(session: str, image_id: str) -> Any:
            result = real_ack(session, image_id)
            acks[0] += 1
            if acks[0] >= expected:
                raise _Drained
            return result

        def handler(image: dict[str, Any], data: bytes) -> None:
            seen[image["id"]] = seen.get(image["id"], 0) + 1

        polling.ack, polling.list = ack, count_list

        def timed() -> dict[str, int]:
            with contextlib.suppress(_Drained):
                polling.poll_and_process(uuid, handler, interval=interval)
            return {
                "handled": sum(seen.values()),
                "unique": len(seen),
                "max": max(seen.values(), default=0),
                "acks": acks[0],
                "requests": lists[0] + sum(seen.values()) + acks[0],
            }

        return timed
