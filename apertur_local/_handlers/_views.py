"""Wire shapes of the stored records (openapi.yaml components), one function per schema.

Casing follows the contract: session/upload/polling/delivery payloads are snake_case, project
resources camelCase, ``password_protected`` snake_case inside the camelCase Session.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .._isotime import format_iso
from .._models import ApiKey, Destination, EventWebhook, Image, Session, WebhookDelivery
from .._state import AperturState
from .._store_uploads import image_status

__all__ = [
    "api_key_view",
    "create_session_result",
    "delivery_status_view",
    "destination_view",
    "poll_image_view",
    "session_row",
    "session_view",
    "upload_result",
    "upload_row",
    "webhook_delivery_view",
    "webhook_view",
]

QR_FORMATS = ["png", "svg", "jpeg"]


def _iso_or_none(value: float | None) -> str | None:
    return None if value is None else format_iso(value)


def _destination_summaries(state: AperturState, session: Session) -> list[dict[str, Any]]:
    found = (state.tables.destinations.get(d) for d in session.destination_ids)
    return [{"id": d.id, "type": d.type, "name": d.name} for d in found if d is not None]


def create_session_result(
    state: AperturState, session: Session, base: str, page_base: str | None = None
) -> dict[str, Any]:
    """CreateSessionResult (S1); ``page_base`` prefixes the links a person opens."""
    qr_path = f"/api/v1/upload-sessions/{session.id}/qr"
    page_base = page_base or base
    return {
        "id": session.id,
        "uuid": session.id,
        "upload_url": f"{page_base}/u/{session.id}",
        "qr_url": f"{base}{qr_path}",
        "short_url": f"{page_base}/s/{session.short_code}",
        "qr_specs": {
            "endpoint": qr_path,
            "formats": QR_FORMATS,
            "params": {
                "format": "png|svg|jpeg",
                "size": "pixels (32-4096)",
                "style": "square|rounded",
                "fg": "hex colour without #",
                "bg": "hex colour without #",
                "borderSize": "modules (0-64)",
                "borderColor": "hex colour without #",
            },
        },
        "destinations": _destination_summaries(state, session),
        "long_polling": session.long_polling,
        "expires_at": format_iso(session.expires_at),
        "password_protected": session.password_hash is not None,
        "env": session.env,
    }


def session_view(state: AperturState, session: Session) -> dict[str, Any]:
    """Session (S2/S3)."""
    sessions = state.sessions
    max_images = sessions.effective_max_images(session)
    view: dict[str, Any] = {
        "id": session.id,
        "status": sessions.status(session),
        "expiresAt": format_iso(session.expires_at),
        "tags": session.tags,
        "imagesPerSession": session.max_images,
        "effectiveAllowedMimeTypes": sessions.effective_mime_types(session),
        "effectiveMaxImageDimension": sessions.effective_max_dimension(session),
        "password_protected": session.password_hash is not None,
        "serverPublicKey": state.server_key.public_pem,
        "e2eEnabled": False,
        "e2ePublicKey": None,
        "e2eDowngraded": False,
    }
    if max_images is not None:
        view["effectiveMaxImages"] = max_images
    return view


def session_row(state: AperturState, session: Session) -> dict[str, Any]:
    """SessionRow (S8/S9)."""
    statuses = [image_status(i) for i in state.uploads.session_images(session)]
    project = state.tables.projects.get(session.project_id)
    return {
        "id": session.id,
        "createdAt": format_iso(session.created_at),
        "expiresAt": format_iso(session.expires_at),
        "status": state.sessions.status(session),
        "projectId": session.project_id,
        "projectName": project.name if project else session.project_id,
        "imagesCount": len(statuses),
        "imagesDelivered": statuses.count("delivered"),
        "imagesFailed": statuses.count("failed"),
        "destinationsCount": len(session.destination_ids),
        "tags": session.tags,
        "longPollingEnabled": session.long_polling,
        "label": session.label,
        "env": session.env,
    }


def delivery_status_view(state: AperturState, session: Session) -> dict[str, Any]:
    """DeliveryStatus (S6)."""
    files = [
        {
            "record_id": image.id,
            "filename": image.filename,
            "size_bytes": image.size_bytes,
            "has_thumbnail": False,
            "destinations": [
                {
                    "destination_id": row.destination_id,
                    "type": row.type,
                    "name": row.name,
                    "status": row.status,
                    "attempts": row.attempts,
                    "last_error": row.last_error,
                }
                for row in image.deliveries
            ],
        }
        for image in state.uploads.session_images(session)
    ]
    return {
        "status": state.sessions.status(session),
        "files": files,
        "lastChanged": format_iso(state.uploads.last_changed(session)),
    }


def upload_result(image: Image, session: Session) -> dict[str, Any]:
    """UploadResult (U1/U2)."""
    return {
        "id": image.id,
        "filename": image.filename,
        "size_bytes": image.size_bytes,
        "destinations": len(image.deliveries),
        "long_polling": session.long_polling,
    }


def upload_row(state: AperturState, image: Image) -> dict[str, Any]:
    """UploadRow (H1/H2)."""
    project = state.tables.projects.get(image.project_id)
    statuses = [d.status for d in image.deliveries]
    breakdown = Counter(d.type for d in image.deliveries)
    return {
        "id": image.id,
        "filename": image.filename,
        "sizeBytes": image.size_bytes,
        "mimeType": image.mime_type,
        "source": image.source,
        "isEncrypted": image.is_encrypted,
        "env": image.env,
        "createdAt": format_iso(image.created_at),
        "sessionId": image.session_id,
        "projectId": image.project_id,
        "projectName": project.name if project else image.project_id,
        "destinationsTotal": len(statuses),
        "destinationsDelivered": statuses.count("sent"),
        "destinationsFailed": statuses.count("failed"),
        "destinationsBreakdown": [{"type": t, "count": n} for t, n in sorted(breakdown.items())],
        "status": image_status(image),
    }


def poll_image_view(image: Image) -> dict[str, Any]:
    """PollImage (P1)."""
    return {
        "id": image.id,
        "filename": image.filename,
        "size_bytes": image.size_bytes,
        "mime_type": image.mime_type,
        "source": image.source,
        "created_at": format_iso(image.created_at),
    }


def destination_view(dest: Destination) -> dict[str, Any]:
    """Destination (D1-D3)."""
    return {
        "id": dest.id,
        "type": dest.type,
        "name": dest.name,
        "config": dict(dest.config),
        "isActive": dest.is_active,
        "createdAt": format_iso(dest.created_at),
        "updatedAt": format_iso(dest.updated_at),
    }


def api_key_view(key: ApiKey) -> dict[str, Any]:
    """ApiKey (K1-K3); never the plain text or hash."""
    return {
        "id": key.id,
        "prefix": key.prefix,
        "label": key.label,
        "env": key.env,
        "isActive": key.is_active,
        "lastUsedAt": _iso_or_none(key.last_used_at),
        "maxImages": key.max_images,
        "allowedMimeTypes": list(key.allowed_mime_types),
        "maxImageDimension": key.max_image_dimension,
        "longPollingEnabled": key.long_polling_enabled,
        "defaultDestinations": list(key.default_destinations),
        "allowedIps": list(key.allowed_ips),
        "allowedDomains": list(key.allowed_domains),
        "totpEnabled": False,
        "clientCertEnabled": False,
        "clientCertFingerprint": None,
        "createdAt": format_iso(key.created_at),
    }


def webhook_view(hook: EventWebhook) -> dict[str, Any]:
    """EventWebhook (W1-W3)."""
    return {
        "id": hook.id,
        "projectId": hook.project_id,
        "url": hook.url,
        "secret": hook.secret,
        "signatureMethod": hook.signature_method,
        "topics": list(hook.topics),
        "isActive": hook.is_active,
        "maxRetries": hook.max_retries,
        "retryIntervals": list(hook.retry_intervals),
        "disableAfterFailures": hook.disable_after_failures,
        "consecutiveFailures": hook.consecutive_failures,
        "customHeaders": dict(hook.custom_headers),
        "disabledAt": _iso_or_none(hook.disabled_at),
        "createdAt": format_iso(hook.created_at),
        "updatedAt": format_iso(hook.updated_at),
    }


def webhook_delivery_view(row: WebhookDelivery) -> dict[str, Any]:
    """WebhookDelivery (W6)."""
    return {
        "id": row.id,
        "eventLogId": row.event_log_id,
        "topic": row.topic,
        "status": row.status,
        "attempts": row.attempts,
        "responseCode": row.response_code,
        "responseBody": row.response_body,
        "durationMs": row.duration_ms,
        "lastError": row.last_error,
        "nextRetryAt": _iso_or_none(row.next_retry_at),
        "createdAt": format_iso(row.created_at),
        "updatedAt": format_iso(row.updated_at),
    }
