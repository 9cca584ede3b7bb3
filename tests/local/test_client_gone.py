"""A client that hangs up mid-body is not a server error: no 500, no traceback."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from apertur_local._errors import exception_handlers


async def _hangs_up(request: Request) -> Response:
    raise ClientDisconnect


@pytest.mark.anyio
async def test_client_disconnect_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    app = Starlette(routes=[Route("/x", _hangs_up)], exception_handlers=exception_handlers())
    transport = httpx.ASGITransport(app=app)
    with caplog.at_level(logging.INFO):
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            reply = await client.get("/x")
    assert reply.status_code == 400
    assert reply.json()["code"] == "VALIDATION_ERROR"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
