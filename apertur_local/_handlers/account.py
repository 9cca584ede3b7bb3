"""Encryption key E1 and stats T1."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ._common import caller, json_response

__all__ = ["get_server_key", "get_stats"]


async def get_server_key(request: Request) -> Response:
    """E1: the SPKI PEM of the server's RSA key."""
    svc, _ = caller(request)
    return json_response({"publicKey": svc.state.server_key.public_pem})


async def get_stats(request: Request) -> Response:
    """T1: figures of the caller's project (``sessionsInRange`` and ``sessionsThisMonth``)."""
    svc, key = caller(request)
    return json_response(svc.state.stats(key.project_id))
