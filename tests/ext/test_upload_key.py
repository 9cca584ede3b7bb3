"""Encrypted uploads fetch the server's public key once per client and reuse it.

Against the local server, counting the requests on the caller's own httpx client: however many
encrypted uploads follow, sequential or concurrent, one ``GET /encryption/server-key`` is made;
a key given by the caller is used without asking the server at all.
"""

from __future__ import annotations

import threading
from typing import Any

import anyio
import httpx

from apertur_cli._demo_images import make_png
from apertur_ext import Apertur, AsyncApertur

KEY_PATH = "/api/v1/encryption/server-key"


def _recorder(paths: list[str]) -> dict[str, list[Any]]:
    def record(request: httpx.Request) -> None:
        paths.append(request.url.path)

    return {"request": [record]}


def test_the_key_is_fetched_once_and_cached(apertur_local: Any) -> None:
    paths: list[str] = []
    with (
        httpx.Client(event_hooks=_recorder(paths)) as http,
        Apertur(apertur_local.api_key, base_url=apertur_local.url, http_client=http) as client,
    ):
        uuid = client.sessions.create().uuid
        ids = [
            client.upload.image_encrypted(uuid, make_png(8, 8, seed=n), filename=f"{n}.png").id
            for n in range(3)
        ]
    assert paths.count(KEY_PATH) == 1
    assert sum(path.endswith("/images") for path in paths) == 3
    assert len(set(ids)) == 3


def test_concurrent_first_uploads_share_one_fetch(apertur_local: Any) -> None:
    paths: list[str] = []
    with (
        httpx.Client(event_hooks=_recorder(paths)) as http,
        Apertur(apertur_local.api_key, base_url=apertur_local.url, http_client=http) as client,
    ):
        uuid = client.sessions.create().uuid
        start = threading.Barrier(4)
        errors: list[BaseException] = []

        def upload(n: int) -> None:
            start.wait()
            try:
                client.upload.image_encrypted(uuid, make_png(8, 8, seed=n), filename=f"{n}.png")
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=upload, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert paths.count(KEY_PATH) == 1


def test_a_key_given_by_the_caller_is_not_fetched(apertur_local: Any) -> None:
    paths: list[str] = []
    with (
        httpx.Client(event_hooks=_recorder(paths)) as http,
        Apertur(apertur_local.api_key, base_url=apertur_local.url, http_client=http) as client,
    ):
        pem = client.encryption.get_server_key().public_key
        paths.clear()
        uuid = client.sessions.create().uuid
        client.upload.image_encrypted(uuid, make_png(8, 8), pem, filename="given.png")
    assert KEY_PATH not in paths


def test_the_async_client_caches_the_key_too(apertur_local: Any) -> None:
    paths: list[str] = []

    async def record(request: httpx.Request) -> None:
        paths.append(request.url.path)

    async def main() -> None:
        async with (
            httpx.AsyncClient(event_hooks={"request": [record]}) as http,
            AsyncApertur(
                apertur_local.api_key, base_url=apertur_local.url, http_client=http
            ) as client,
        ):
            uuid = (await client.sessions.create()).uuid
            async with anyio.create_task_group() as tasks:
                for n in range(3):
                    tasks.start_soon(
                        lambda n=n: client.upload.image_encrypted(
                            uuid, make_png(8, 8, seed=n), filename=f"{n}.png"
                        )
                    )

    anyio.run(main)
    assert paths.count(KEY_PATH) == 1
    assert sum(path.endswith("/images") for path in paths) == 3
