"""The floor: the same work with a bare ``httpx.Client`` (no SDK)."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

__all__ = ["Side"]

Timed = Callable[[], Any]


class Side:
    """One kept-alive ``httpx.Client`` with the bearer key, as an SDK would hold it."""

    def __init__(self, url: str, api_key: str) -> None:
        self.client = httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {api_key}"}, timeout=300.0
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def warmup(self, uuid: str) -> None:
        """One small call, so every side starts with an open connection."""
        self.client.get(f"/api/v1/upload/{uuid}/session").raise_for_status()

    def _upload(self, uuid: str, path: str) -> None:
        with open(path, "rb") as handle:
            files = {"file": (Path(path).name, handle, "image/jpeg")}
            self.client.post(f"/api/v1/upload/{uuid}/images", files=files).raise_for_status()

    def upload_seq(self, uuid: str, paths: list[str]) -> Timed:
        """Upload each file in turn (streamed from disk by httpx's multipart)."""

        def timed() -> None:
            for path in paths:
                self._upload(uuid, path)

        return timed

    def upload_concurrent(self, uuid: str, paths: list[str], inflight: int) -> Timed:
        """Upload with ``inflight`` threads sharing the client."""

        def timed() -> None:
            with ThreadPoolExecutor(inflight) as pool:
                list(pool.map(lambda p: self._upload(uuid, p), paths))

        return timed

    def upload_big(self, uuid: str, path: str) -> Timed:
        """One large file, streamed."""
        return lambda: self._upload(uuid, path)

    def get_many(self, uuid: str, count: int) -> Timed:
        """``count`` x GET session, JSON decoded, on the kept-alive connection."""

        def timed() -> None:
            url = f"/api/v1/upload/{uuid}/session"
            for _ in range(count):
                response = self.client.get(url)
                response.raise_for_status()
                response.json()

        return timed

    def drain(self, uuid: str, expected: int, interval: float) -> Timed:
        """The official algorithm by hand: list, then download + ack each image in turn."""

        def timed() -> dict[str, int]:
            seen: dict[str, int] = {}
            base = f"/api/v1/upload-sessions/{uuid}"
            while sum(seen.values()) < expected:
                listed = self.client.get(f"{base}/poll")
                listed.raise_for_status()
                for image in listed.json().get("images", []):
                    data = self.client.get(f"{base}/images/{image['id']}")
                    data.raise_for_status()
                    seen[image["id"]] = seen.get(image["id"], 0) + 1
                    self.client.post(f"{base}/images/{image['id']}/ack").raise_for_status()
                if sum(seen.values()) < expected:
                    time.sleep(interval)
            return {"handled": sum(seen.values()), "unique": len(seen), "max": max(seen.values())}

        return timed
