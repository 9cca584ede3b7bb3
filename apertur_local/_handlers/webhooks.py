"""Event webhooks W1-W7 ``/api/v1/projects/{projectId}/webhooks…`` (camelCase bodies)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from . import _parse as p
from ._common import json_response, no_content, project_caller
from ._views import webhook_delivery_view, webhook_view

__all__ = [
    "create_webhook",
    "delete_webhook",
    "list_webhook_deliveries",
    "list_webhooks",
    "retry_webhook_delivery",
    "test_webhook",
    "update_webhook",
]


async def list_webhooks(request: Request) -> Response:
    """W1."""
    svc, _, project_id = project_caller(request)
    return json_response([webhook_view(w) for w in svc.state.webhooks.for_project(project_id)])


async def create_webhook(request: Request) -> Response:
    """W2: a hex secret is generated and returned."""
    svc, _, project_id = project_caller(request)
    body = await p.json_object(request)
    url = p.string(body, "url", required=True) or ""
    topics = p.string_list(body, "topics", required=True) or []
    method = p.string(body, "signatureMethod") or "hmac_sha256"
    hook = svc.state.webhooks.create(
        project_id,
        url,
        topics,
        method,
        max_retries=p.integer(body, "maxRetries", minimum=0),
        retry_intervals=p.int_list(body, "retryIntervals", minimum=0),
        disable_after_failures=p.integer(body, "disableAfterFailures", minimum=0),
        custom_headers=p.header_map(body, "customHeaders"),
    )
    return json_response(webhook_view(hook), 201)


async def update_webhook(request: Request) -> Response:
    """W3: omitted fields unchanged; the signature method cannot change."""
    svc, _, project_id = project_caller(request)
    body = await p.json_object(request)
    changes: dict[str, Any] = {}
    if "url" in body:
        changes["url"] = p.string(body, "url")
    if "topics" in body:
        changes["topics"] = p.string_list(body, "topics")
    if "isActive" in body:
        changes["is_active"] = p.boolean(body, "isActive")
    if "maxRetries" in body:
        changes["max_retries"] = p.integer(body, "maxRetries", minimum=0)
    if "retryIntervals" in body:
        changes["retry_intervals"] = p.int_list(body, "retryIntervals", minimum=0)
    if "disableAfterFailures" in body:
        changes["disable_after_failures"] = p.integer(body, "disableAfterFailures", minimum=0)
    if "customHeaders" in body:
        changes["custom_headers"] = p.header_map(body, "customHeaders")
    hook = svc.state.webhooks.update(project_id, request.path_params["webhookId"], changes)
    return json_response(webhook_view(hook))


async def delete_webhook(request: Request) -> Response:
    """W4 (204)."""
    svc, _, project_id = project_caller(request)
    svc.state.webhooks.delete(project_id, request.path_params["webhookId"])
    return no_content()


async def test_webhook(request: Request) -> Response:
    """W5: one ``webhook.test`` event, sent now and logged."""
    svc, _, project_id = project_caller(request)
    hook = svc.state.webhooks.get(project_id, request.path_params["webhookId"])
    return json_response({"message": await svc.engine.events.send_test(hook)})


async def list_webhook_deliveries(request: Request) -> Response:
    """W6 ``?page&limit``, newest first."""
    svc, _, project_id = project_caller(request)
    hook = svc.state.webhooks.get(project_id, request.path_params["webhookId"])
    page = p.query_int(request, "page", 1, minimum=1)
    limit = p.query_int(request, "limit", 25, minimum=1, maximum=100)
    rows = svc.state.webhooks.deliveries(hook)
    start = (page - 1) * limit
    return json_response(
        {
            "deliveries": [webhook_delivery_view(r) for r in rows[start : start + limit]],
            "total": len(rows),
            "page": page,
            "limit": limit,
        }
    )


async def retry_webhook_delivery(request: Request) -> Response:
    """W7: send a logged delivery again."""
    svc, _, project_id = project_caller(request)
    hook = svc.state.webhooks.get(project_id, request.path_params["webhookId"])
    row = svc.state.webhooks.delivery(hook, request.path_params["deliveryId"])
    svc.engine.events.retry(hook, row)
    return json_response({"message": "Delivery queued for retry"})
