"""This SDK (``apertur_ext.Apertur``), run in the project's venv."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from apertur_ext import Apertur

__all__ = ["PACKAGE", "Side"]

PACKAGE = "apertur_ext"
"""The SDK whose every module the worker imports before timing."""

Timed = Callable[[], Any]


class Side:
    """One ``Apertur`` client pointed at the local server (default retries and timeouts)."""

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
        """``upload.image`` for each file in turn (streamed from the path)."""

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
        """``upload.images`` with ``concurrency=inflight`` (each file streamed from its path)."""

        def timed() -> dict[str, int]:
            done = self.client.upload.images(
                uuid, paths, concurrency=inflight, mime_type="image/jpeg"
            )
            failed = [o for o in done if not o.ok]
            if failed:
                raise RuntimeError(f"{len(failed)} uploads failed, first: {failed[0].error!r}")
            return {"stored": len(done), "requests": len(done)}

        return timed

    def upload_big(self, uuid: str, path: str) -> Timed:
        """One large file, streamed."""
        return lambda: self._upload(uuid, path)

    def upload_encrypted(self, uuid: str, path: str) -> Timed:
        """``upload.image_encrypted`` with the server key fetched beforehand (not timed)."""
        public_key = self.client.encryption.get_server_key().public_key
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

    def drain(self, uuid: str, expected: int, interval: float, concurrency: int = 8) -> Timed:
        """``polling.poll_and_process`` with ``max_images`` as its own stop condition."""
        seen: dict[str, int] = {}

        def handler(image: Any, data: bytes) -> None:
            seen[image.id] = seen.get(image.id, 0) + 1

        def timed() -> dict[str, int]:
            summary = self.client.polling.poll_and_process(
                uuid, handler, interval=interval, max_images=expected, concurrency=concurrency
            )
            params = inspect.signature(self.client.polling.poll_and_process).parameters
            prefetch = params["prefetch"].default if "prefetch" in params else 0  # older clients
            return {
                "handled": sum(seen.values()),
                "unique": len(seen),
                "max": max(seen.values(), default=0),
                "acks": summary.acknowledged,
                "concurrency": concurrency,
                "requests": summary.polls + sum(seen.values()) + summary.acknowledged,
                "in_flight": concurrency + prefetch,
            }

        return timed
