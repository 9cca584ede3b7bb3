"""API keys K1-K5 (camelCase bodies, except K5's snake_case)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from . import _parse as p
from ._common import caller, json_response, no_content, project_caller
from ._views import api_key_view

__all__ = [
    "create_api_key",
    "delete_api_key",
    "list_api_keys",
    "set_key_destinations",
    "update_api_key",
]


async def list_api_keys(request: Request) -> Response:
    """K1."""
    svc, _, project_id = project_caller(request)
    return json_response([api_key_view(k) for k in svc.state.keys.for_project(project_id)])


async def create_api_key(request: Request) -> Response:
    """K2: the new key has the caller's environment; ``plainTextKey`` is shown this once."""
    svc, key, project_id = project_caller(request)
    body = await p.json_object(request)
    new_key, plain = svc.state.keys.create(
        project_id,
        key.env,
        p.string(body, "label", required=True) or "",
        max_images=p.nullable_integer(body, "maxImages"),
        allowed_mime_types=p.string_list(body, "allowedMimeTypes"),
        max_image_dimension=p.nullable_integer(body, "maxImageDimension"),
    )
    return json_response({"key": api_key_view(new_key), "plainTextKey": plain}, 201)


async def update_api_key(request: Request) -> Response:
    """K3: omitted fields are unchanged; ``maxImages``/``maxImageDimension`` may be null."""
    svc, _, project_id = project_caller(request)
    body = await p.json_object(request)
    changes: dict[str, Any] = {}
    if "label" in body:
        changes["label"] = p.string(body, "label")
    if "isActive" in body:
        changes["is_active"] = p.boolean(body, "isActive")
    if "maxImages" in body:
        changes["max_images"] = p.nullable_integer(body, "maxImages")
    if "maxImageDimension" in body:
        changes["max_image_dimension"] = p.nullable_integer(body, "maxImageDimension")
    for wire, field in (
        ("allowedMimeTypes", "allowed_mime_types"),
        ("allowedIps", "allowed_ips"),
        ("allowedDomains", "allowed_domains"),
    ):
        if wire in body:
            changes[field] = p.string_list(body, wire)
    key = svc.state.keys.update(project_id, request.path_params["keyId"], changes)
    return json_response(api_key_view(key))


async def delete_api_key(request: Request) -> Response:
    """K4 (204); the key stops authenticating at once."""
    svc, _, project_id = project_caller(request)
    svc.state.keys.delete(project_id, request.path_params["keyId"])
    return no_content()


async def set_key_destinations(request: Request) -> Response:
    """K5 ``PUT /api/v1/keys/{keyId}/destinations``; omitted ``long_polling_enabled`` = unchanged."""
    svc, key = caller(request)
    body = await p.json_object(request)
    destination_ids = p.string_list(body, "destination_ids", required=True) or []
    long_polling = p.boolean(body, "long_polling_enabled")
    target = svc.state.keys.set_destinations(
        key, request.path_params["keyId"], destination_ids, long_polling
    )
    tables = svc.state.tables
    found = (tables.destinations.get(d) for d in target.default_destinations)
    return json_response(
        {
            "destinations": [
                {"id": d.id, "type": d.type, "name": d.name, "isActive": d.is_active}
                for d in found
                if d is not None
            ],
            "longPollingEnabled": target.long_polling_enabled,
        }
    )
