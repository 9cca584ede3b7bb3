"""The route table of the local server (moto's ``urls.py``): every path, method and handler.

API routes follow openapi.yaml exactly; ``/_local/…`` is the control plane (not in the spec);
``/u/{uuid}`` (the upload page, its files under ``/assets/upload/``) and ``/s/{code}`` (short
links) are what session URLs name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._control import control_routes
from ._fault_plan import FaultPlan
from ._faults import fault_routes
from ._handlers import (
    account,
    delivery_status,
    destinations,
    events,
    keys,
    pages,
    polling,
    sessions,
    upload,
    webhooks,
)
from ._upload_page import ASSET_PATH

__all__ = ["API_ROUTES", "build_routes"]

Endpoint = Callable[[Request], Awaitable[Response]]


def _route(path: str, **handlers: Endpoint) -> Route:
    """One route serving several methods (so a 405 lists them all in ``Allow``)."""

    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    dispatch.__name__ = "_".join(h.__name__ for h in handlers.values())
    return Route(path, dispatch, methods=list(handlers))


_V1 = "/api/v1"
_PROJECT = _V1 + "/projects/{projectId}"
_SESSION = _V1 + "/upload-sessions/{uuid}"

API_ROUTES: list[BaseRoute] = [
    # The busiest first: Starlette tries the routes in order (no two routes match one path, so
    # the order changes nothing else).
    Route(_V1 + "/upload/{uuid}/images", upload.upload_image, methods=["POST"]),
    Route(_SESSION + "/poll", polling.poll_images, methods=["GET"]),
    Route(_SESSION + "/images/{imageId}", polling.download_polled_image, methods=["GET"]),
    Route(_SESSION + "/images/{imageId}/ack", polling.ack_image, methods=["POST"]),
    # sessions
    Route(_V1 + "/upload-sessions", sessions.create_session, methods=["POST"]),
    Route(_V1 + "/upload/{uuid}/session", sessions.get_session, methods=["GET"]),
    Route(_SESSION, sessions.update_session, methods=["PATCH"]),
    Route(_V1 + "/upload/{uuid}/verify-password", sessions.verify_password, methods=["POST"]),
    Route(_SESSION + "/qr", sessions.session_qr, methods=["GET"]),
    Route(_SESSION + "/delivery-status", delivery_status.delivery_status, methods=["GET"]),
    Route(_SESSION + "/share", sessions.share_session, methods=["POST"]),
    Route(_V1 + "/sessions", sessions.list_sessions, methods=["GET"]),
    Route(_V1 + "/sessions/recent", sessions.list_recent_sessions, methods=["GET"]),
    # real-time events (Server-Sent Events)
    Route(_V1 + "/upload/{uuid}/events", events.upload_events, methods=["GET"]),
    Route(_V1 + "/sessions/{sessionId}/events", events.session_events, methods=["GET"]),
    # upload history
    Route(_V1 + "/uploads", polling.list_uploads, methods=["GET"]),
    Route(_V1 + "/uploads/recent", polling.list_recent_uploads, methods=["GET"]),
    Route(_V1 + "/uploads/{recordId}/download", polling.download_upload, methods=["GET"]),
    # destinations
    _route(
        _PROJECT + "/destinations",
        GET=destinations.list_destinations,
        POST=destinations.create_destination,
    ),
    _route(
        _PROJECT + "/destinations/{destId}",
        PATCH=destinations.update_destination,
        DELETE=destinations.delete_destination,
    ),
    Route(
        _PROJECT + "/destinations/{destId}/test", destinations.test_destination, methods=["POST"]
    ),
    # keys
    _route(_PROJECT + "/keys", GET=keys.list_api_keys, POST=keys.create_api_key),
    _route(_PROJECT + "/keys/{keyId}", PATCH=keys.update_api_key, DELETE=keys.delete_api_key),
    Route(_V1 + "/keys/{keyId}/destinations", keys.set_key_destinations, methods=["PUT"]),
    # event webhooks
    _route(_PROJECT + "/webhooks", GET=webhooks.list_webhooks, POST=webhooks.create_webhook),
    _route(
        _PROJECT + "/webhooks/{webhookId}",
        PATCH=webhooks.update_webhook,
        DELETE=webhooks.delete_webhook,
    ),
    Route(_PROJECT + "/webhooks/{webhookId}/test", webhooks.test_webhook, methods=["POST"]),
    Route(
        _PROJECT + "/webhooks/{webhookId}/deliveries",
        webhooks.list_webhook_deliveries,
        methods=["GET"],
    ),
    Route(
        _PROJECT + "/webhooks/{webhookId}/deliveries/{deliveryId}/retry",
        webhooks.retry_webhook_delivery,
        methods=["POST"],
    ),
    # encryption, stats
    Route(_V1 + "/encryption/server-key", account.get_server_key, methods=["GET"]),
    Route(_V1 + "/stats", account.get_stats, methods=["GET"]),
    # what session URLs point at
    Route("/u/{uuid}", pages.upload_page, methods=["GET"]),
    Route(ASSET_PATH + "/{name}", pages.page_asset, methods=["GET"]),
    Route("/s/{code}", pages.short_link, methods=["GET"]),
]


def build_routes(plan: FaultPlan) -> list[BaseRoute]:
    """API routes, the ``/_local`` control plane and the fault-injection routes."""
    return [*API_ROUTES, *control_routes(), *fault_routes(plan)]
