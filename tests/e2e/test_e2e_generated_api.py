"""End to end: the generated endpoint functions called with ``client.api``.

``client.api`` sends through the SDK's own httpx client, so a generated function gets the
SDK's auth, retries (503 here), request signing and logging — against a local server that
refuses unsigned requests. Documented error statuses come back as ``Response`` with the parsed
``Error`` model, not as exceptions.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

from apertur_api.api.sessions import create_session, get_session
from apertur_api.api.stats import get_stats
from apertur_api.models import CreateSessionRequest, CreateSessionResult, Error, Session
from apertur_ext import Apertur, AsyncApertur
from apertur_local import LocalApertur

SECRET = "generated-api-signing-secret"
CREATE_PATH = "^/api/v1/upload-sessions$"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalApertur]:
    with LocalApertur(signing_secret=SECRET) as srv:
        yield srv


@pytest.fixture
def control(server: LocalApertur) -> Iterator[httpx.Client]:
    server.reset()
    with httpx.Client(base_url=server.url, trust_env=False, timeout=10) as http:
        yield http


def _fault_503(control: httpx.Client, count: int = 1) -> None:
    rule = {"path": CREATE_PATH, "method": "POST", "count": count, "action": "status"}
    rule |= {"status": 503, "retry_after": "0.01"}
    control.post("/_local/faults", json=rule).raise_for_status()


def _faults_left(control: httpx.Client) -> object:
    """The fault rules not used up yet (an answered 503 is used up)."""
    state = control.get("/_local/faults").json()
    assert sum(state["injected"].values()) >= 1  # the 503 was answered
    return state["rules"]


def test_sync_detailed_is_retried_on_503_and_signed(
    server: LocalApertur, control: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    _fault_503(control)
    with (
        Apertur(server.api_key, base_url=server.url, signing_secret=SECRET) as client,
        caplog.at_level(logging.INFO, logger="apertur"),
    ):
        response = create_session.sync_detailed(
            client=client.api, body=CreateSessionRequest(long_polling=True)
        )
        assert response.status_code == 201
        assert isinstance(response.parsed, CreateSessionResult)
        assert response.parsed.long_polling is True
        # Signed: this server answers 401 INVALID_SIGNATURE to anything unsigned.
        fetched = get_session.sync(response.parsed.uuid, client=client.api)
        assert isinstance(fetched, Session)
    assert _faults_left(control) == []  # the 503 was served, then retried
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("POST /api/v1/upload-sessions -> 201 attempts=2") for m in messages)


def test_asyncio_detailed_is_retried_on_503_and_signed(
    server: LocalApertur, control: httpx.Client
) -> None:
    _fault_503(control)

    async def go() -> httpx.Response | object:
        async with AsyncApertur(server.api_key, base_url=server.url, signing_secret=SECRET) as c:
            return await create_session.asyncio_detailed(
                client=c.api, body=CreateSessionRequest(max_images=3)
            )

    response = anyio.run(go)
    assert response.status_code == 201  # type: ignore[union-attr]
    assert _faults_left(control) == []


def test_documented_errors_come_back_parsed(server: LocalApertur, control: httpx.Client) -> None:
    with Apertur(server.api_key, base_url=server.url) as unsigned:  # no signing secret
        response = get_stats.sync_detailed(client=unsigned.api)
    assert response.status_code == 401
    assert isinstance(response.parsed, Error)
    assert response.parsed.code == "INVALID_SIGNATURE"


def test_derived_clients_share_the_transport_not_the_connections(
    server: LocalApertur, control: httpx.Client
) -> None:
    with Apertur(server.api_key, base_url=server.url, signing_secret=SECRET) as client:
        tagged = client.api.with_headers({"X-Trace": "t1"})
        _fault_503(control)
        with tagged:  # closes its own httpx client only
            response = create_session.sync_detailed(client=tagged, body=CreateSessionRequest())
            assert response.status_code == 201  # retried and signed on the SDK's transport
        assert _faults_left(control) == []
        assert tagged.get_httpx_client() is not client.api.get_httpx_client()
        assert "X-Trace" not in client.api.get_httpx_client().headers  # the SDK's is untouched
        assert client.stats.get().sessions_total == 1  # still open
        faster = client.api.with_timeout(httpx.Timeout(5.0))
        assert get_stats.sync(client=faster) is not None
        faster.get_httpx_client().close()


def test_closing_api_closes_the_sdk_client(server: LocalApertur, control: httpx.Client) -> None:
    client = Apertur(server.api_key, base_url=server.url, signing_secret=SECRET)
    with client.api:
        pass
    assert client.api.get_httpx_client().is_closed


def test_the_token_is_not_in_the_repr(server: LocalApertur) -> None:
    with Apertur(server.api_key, base_url=server.url) as client:
        client.api.get_httpx_client()
        derived = client.api.with_headers({"X-A": "b"})
        derived.get_httpx_client().close()
        for shown in (repr(client.api), repr(derived), str(client.api)):
            assert server.api_key not in shown


def test_each_client_serves_both_flavours_of_functions(
    server: LocalApertur, control: httpx.Client
) -> None:
    with Apertur(server.api_key, base_url=server.url, signing_secret=SECRET) as client:

        async def in_its_own_loop() -> Any:
            try:
                return await get_stats.asyncio_detailed(client=client.api)
            finally:  # its connections belong to this event loop: closed before it ends
                await client.api.get_async_httpx_client().aclose()

        response = anyio.run(in_its_own_loop)
        assert response.status_code == 200  # signed: the server would answer 401 otherwise

    async def go() -> int:
        async with AsyncApertur(server.api_key, base_url=server.url, signing_secret=SECRET) as c:
            return int(get_stats.sync_detailed(client=c.api).status_code)

    assert anyio.run(go) == 200


def test_a_sync_clients_async_connections_close_with_the_api_async_client(
    server: LocalApertur,
) -> None:
    """A sync client's async connections serve only ``client.api`` in one event loop: closing
    the api's async httpx client closes them, so none is left for the garbage collector."""
    with Apertur(server.api_key, base_url=server.url, signing_secret=SECRET) as client:

        async def in_its_own_loop() -> int:
            try:
                response = await get_stats.asyncio_detailed(client=client.api)
                return int(response.status_code)
            finally:
                await client.api.get_async_httpx_client().aclose()

        port = httpx.URL(server.url).port
        assert port is not None
        before = _sockets_to(port)
        assert anyio.run(in_its_own_loop) == 200
        assert _sockets_to(port) == before  # the pool's connection is closed, not left to GC
        assert client.stats.get().sessions_total >= 0  # the sync side is still open


def _sockets_to(port: int) -> int:
    """How many of this process's TCP sockets are connected to ``port`` (Linux): the client
    side of connections to the local server, not the ones the server (in this process too)
    accepted and may still be closing."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the directory's own descriptor, closed since
            continue
        if link.startswith("socket:["):
            inodes.add(link.removeprefix("socket:[").removesuffix("]"))
    count = 0
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        with open(table, encoding="ascii") as rows:
            next(rows)  # the header
            for row in rows:
                fields = row.split()  # sl, local, remote, state, ..., inode (10th)
                if int(fields[2].rsplit(":", 1)[1], 16) == port and fields[9] in inodes:
                    count += 1
    return count
