"""A closed client, or an AsyncApertur reused on another event loop, raises a typed error."""

from __future__ import annotations

import asyncio
import gc

import pytest

from apertur_ext import Apertur, AsyncApertur, InvalidInputError
from apertur_local import LocalApertur


def test_closed_sync_client(apertur_local: LocalApertur) -> None:
    client = Apertur(api_key=apertur_local.api_key, base_url=apertur_local.url)
    client.stats.get()
    client.close()
    with pytest.raises(InvalidInputError, match="closed"):
        client.stats.get()


def test_closed_async_client(apertur_local: LocalApertur) -> None:
    async def main() -> None:
        client = AsyncApertur(api_key=apertur_local.api_key, base_url=apertur_local.url)
        await client.stats.get()
        await client.close()
        with pytest.raises(InvalidInputError, match="closed"):
            await client.stats.get()

    asyncio.run(main())


def test_async_client_reused_on_another_loop(apertur_local: LocalApertur) -> None:
    client = AsyncApertur(api_key=apertur_local.api_key, base_url=apertur_local.url)
    asyncio.run(client.stats.get())

    async def again(client: AsyncApertur) -> None:
        with pytest.raises(InvalidInputError, match="event loop"):
            await client.stats.get()

    asyncio.run(again(client))
    # The first loop's connection ended with that loop, unclosed (the misuse this test is about):
    # collected here, its ResourceWarning is expected instead of surfacing in a later test.
    with pytest.warns(ResourceWarning, match="unclosed"):  # noqa: PT031
        del client
        gc.collect()
