"""This SDK's ``AsyncApertur`` on one event loop kept for the whole worker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apertur_ext import AsyncApertur

__all__ = ["PACKAGE", "Side"]

PACKAGE = "apertur_ext"
"""The SDK whose every module the worker imports before timing."""

Timed = Callable[[], Any]


class Side:
    """One ``AsyncApertur`` built inside the loop that runs every call."""

    def __init__(self, url: str, api_key: str) -> None:
        self.loop = asyncio.new_event_loop()

        async def build() -> AsyncApertur:
            return AsyncApertur(api_key=api_key, base_url=url)

        self.client = self.loop.run_until_complete(build())

    def close(self) -> None:
        """Close the client and the loop."""
        self.loop.run_until_complete(self.client.close())
        self.loop.close()

    def warmup(self, uuid: str) -> None:
        """One small call, so every side starts with an open connection."""
        self.loop.run_until_complete(self.client.sessions.get(uuid))

    def upload_concurrent(self, uuid: str, paths: list[str], inflight: int) -> Timed:
        """``upload.image`` as tasks, at most ``inflight`` at a time."""

        async def all_uploads() -> None:
            gate = asyncio.Semaphore(inflight)

            async def one(path: str) -> None:
                async with gate:
                    await self.client.upload.image(
                        uuid, path, filename=Path(path).name, mime_type="image/jpeg"
                    )

            await asyncio.gather(*(one(p) for p in paths))

        return lambda: self.loop.run_until_complete(all_uploads())
