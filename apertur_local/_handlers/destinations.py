"""Destinations D1-D5 ``/api/v1/projects/{projectId}/destinations[/{destId}[/test]]``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from . import _parse as p
from ._common import json_response, no_content, project_caller
from ._views import destination_view

__all__ = [
    "create_destination",
    "delete_destination",
    "list_destinations",
    "test_destination",
    "update_destination",
]


async def list_destinations(request: Request) -> Response:
    """D1."""
    svc, _, project_id = project_caller(request)
    rows = svc.state.destinations.for_project(project_id)
    return json_response([destination_view(d) for d in rows])


async def create_destination(request: Request) -> Response:
    """D2: ``type`` and ``name`` required; webhooks need ``config.url``."""
    svc, _, project_id = project_caller(request)
    body = await p.json_object(request)
    dest_type = p.string(body, "type", required=True) or ""
    name = p.string(body, "name", required=True) or ""
    config = p.obj(body, "config")
    dest = svc.state.destinations.create(project_id, dest_type, name, config)
    return json_response(destination_view(dest), 201)


async def update_destination(request: Request) -> Response:
    """D3: ``name``, ``config``, ``isActive``."""
    svc, _, project_id = project_caller(request)
    body = await p.json_object(request)
    dest = svc.state.destinations.update(
        project_id,
        request.path_params["destId"],
        name=p.string(body, "name"),
        config=p.obj(body, "config"),
        is_active=p.boolean(body, "isActive"),
    )
    return json_response(destination_view(dest))


async def delete_destination(request: Request) -> Response:
    """D4 (204)."""
    svc, _, project_id = project_caller(request)
    svc.state.destinations.delete(project_id, request.path_params["destId"])
    return no_content()


async def test_destination(request: Request) -> Response:
    """D5: webhooks get a real test POST; other types a simulated success."""
    svc, _, project_id = project_caller(request)
    dest = svc.state.destinations.get(project_id, request.path_params["destId"])
    return json_response(await svc.engine.test_destination(dest))
