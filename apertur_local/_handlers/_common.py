"""What every handler needs: the app's services, the calling key, URLs and JSON responses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .._auth import authenticate
from .._delivery import DeliveryEngine
from .._models import ApiKey
from .._state import AperturState
from .._store_keys import require_project
from . import _parse as p
from ._intake import MemoryBudget

T = TypeVar("T")

__all__ = [
    "Services",
    "base_url",
    "caller",
    "json_response",
    "no_content",
    "page_base_url",
    "page_response",
    "project_caller",
    "services",
]


@attrs.define
class Services:
    """The objects handlers work with, stored on ``app.state.services``."""

    state: AperturState
    engine: DeliveryEngine
    upload_memory: MemoryBudget
    """Memory that upload bodies in progress may use (see ``_intake``)."""


def services(request: Request) -> Services:
    """The app's :class:`Services`."""
    found: Services = request.app.state.services
    return found


def caller(request: Request) -> tuple[Services, ApiKey]:
    """The services and the authenticated API key (401 otherwise)."""
    svc = services(request)
    return svc, authenticate(request, svc.state.keys)


def project_caller(request: Request) -> tuple[Services, ApiKey, str]:
    """Like :func:`caller`, also checking the ``projectId`` path parameter (404 if foreign)."""
    svc, key = caller(request)
    project_id = request.path_params["projectId"]
    require_project(key, project_id)
    return svc, key, project_id


def base_url(request: Request) -> str:
    """``scheme://host:port`` the client used to reach the server."""
    return str(request.base_url).rstrip("/")


def page_base_url(request: Request) -> str:
    """Base of the links a person opens (upload page, short link, QR code): the configured
    public URL (a LAN address when serving the network), else :func:`base_url`."""
    public: str | None = services(request).state.config.public_url
    return public or base_url(request)


def json_response(data: Any, status: int = 200) -> Response:
    """A JSON answer."""
    return JSONResponse(data, status_code=status)


def no_content() -> Response:
    """204 without a body."""
    return Response(status_code=204)


def page_response(request: Request, rows: Sequence[T], view: Callable[[T], Any]) -> Response:
    """One page of ``rows`` for ``?page&pageSize`` as ``{data, total, page, pageSize, totalPages}``."""
    page = p.query_int(request, "page", 1, minimum=1)
    page_size = p.query_int(request, "pageSize", 20, minimum=1, maximum=100)
    start = (page - 1) * page_size
    return json_response(
        {
            "data": [view(row) for row in rows[start : start + page_size]],
            "total": len(rows),
            "page": page,
            "pageSize": page_size,
            "totalPages": (len(rows) + page_size - 1) // page_size,
        }
    )
