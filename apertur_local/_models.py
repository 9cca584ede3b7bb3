"""Plain records of everything the local Apertur server stores (no behaviour, no HTTP).

Times are UNIX seconds (floats) from the server's :class:`~apertur_local._config.Clock`; the
handlers' views turn them into ISO 8601 strings. Every record round-trips through JSON with
:func:`to_json_dict` / :func:`from_json_dict`: that JSON is a row of the state database.
Secrets and what is derived from them (signing secrets, destination configs, custom headers,
key and password hashes) are left out of the records' reprs.
"""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

__all__ = [
    "ApiKey",
    "DestDelivery",
    "Destination",
    "EventWebhook",
    "Image",
    "Project",
    "Session",
    "Share",
    "WebhookDelivery",
    "from_json_dict",
    "to_json_dict",
]


@attrs.define
class Project:
    """The one seeded project."""

    id: str
    name: str
    created_at: float


@attrs.define
class ApiKey:
    """An API key; only its SHA-256 hash and a short visible prefix are kept."""

    id: str
    project_id: str
    label: str
    prefix: str
    key_hash: str = attrs.field(repr=False)
    env: str
    created_at: float
    is_active: bool = True
    last_used_at: float | None = None
    max_images: int | None = None
    allowed_mime_types: list[str] = attrs.Factory(list)
    max_image_dimension: int | None = None
    long_polling_enabled: bool = False
    default_destinations: list[str] = attrs.Factory(list)
    allowed_ips: list[str] = attrs.Factory(list)
    allowed_domains: list[str] = attrs.Factory(list)


@attrs.define
class Share:
    """A recorded (never sent) share of a session link."""

    channel: str
    recipient: str
    short_code: str
    created_at: float
    note: str | None = None


@attrs.define
class Session:
    """An upload session. ``status`` is derived (see ``_store_sessions.session_status``)."""

    id: str
    project_id: str
    key_id: str
    env: str
    created_at: float
    expires_at: float
    last_changed: float
    short_code: str
    tags: list[str] | None = None
    max_images: int | None = None
    allowed_mime_types: list[str] | None = None
    max_image_dimension: int | None = None
    max_image_size_mb: int | None = None
    password_hash: str | None = attrs.field(default=None, repr=False)
    long_polling: bool = False
    destination_ids: list[str] = attrs.Factory(list)
    metadata: dict[str, Any] | None = None
    label: str | None = None
    image_ids: list[str] = attrs.Factory(list)
    shares: list[Share] = attrs.Factory(list)
    completed_at: float | None = None


@attrs.define
class DestDelivery:
    """Delivery of one image to one destination (a row of delivery status)."""

    destination_id: str
    type: str
    name: str
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    note: str | None = None
    updated_at: float = 0.0


@attrs.define
class Image:
    """An uploaded image (upload record); the bytes live in the blob store under ``blob``."""

    id: str
    session_id: str
    project_id: str
    key_id: str
    env: str
    filename: str
    mime_type: str
    size_bytes: int
    source: str
    is_encrypted: bool
    created_at: float
    blob: str
    index: int = 0
    width: int | None = None
    height: int | None = None
    acknowledged: bool = False
    deliveries: list[DestDelivery] = attrs.Factory(list)


@attrs.define
class Destination:
    """A project destination (``webhook`` is really delivered; other types are simulated)."""

    id: str
    project_id: str
    type: str
    name: str
    config: dict[str, Any] = attrs.field(repr=False)  # a webhook's signing secret, credentials
    created_at: float
    updated_at: float
    is_active: bool = True


@attrs.define
class EventWebhook:
    """A project event webhook."""

    id: str
    project_id: str
    url: str
    secret: str = attrs.field(repr=False)
    signature_method: str
    topics: list[str]
    created_at: float
    updated_at: float
    is_active: bool = True
    max_retries: int = 3
    retry_intervals: list[int] = attrs.Factory(lambda: [10, 60, 300])
    disable_after_failures: int = 10
    consecutive_failures: int = 0
    custom_headers: dict[str, str] = attrs.field(factory=dict, repr=False)  # may carry a token
    disabled_at: float | None = None


@attrs.define
class WebhookDelivery:
    """One event sent (or being sent) to one event webhook; ``body`` is the exact JSON sent."""

    id: str
    webhook_id: str
    event_log_id: str
    topic: str
    body: str
    created_at: float
    updated_at: float
    status: str = "retrying"
    attempts: int = 0
    response_code: int | None = None
    response_body: str | None = None
    duration_ms: int = 0
    last_error: str | None = None
    next_retry_at: float | None = None


_T = TypeVar("_T")

_NESTED: dict[tuple[type[Any], str], type[Any]] = {
    (Session, "shares"): Share,
    (Image, "deliveries"): DestDelivery,
}

_DERIVED: dict[type[Any], frozenset[str]] = {Session: frozenset({"image_ids"})}
"""Fields rebuilt from other records on load and never stored (a session's ``image_ids`` come
from its images, so storing an upload does not rewrite a list that grows with every image)."""


def to_json_dict(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of an attrs record: nested records become dicts, derived fields are left
    out, and user data (metadata, config) is referenced as is, never walked recursively."""
    cls = type(record)
    derived = _DERIVED.get(cls, frozenset())
    result: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name in derived:
            continue
        value = getattr(record, field.name)
        if (cls, field.name) in _NESTED:
            value = [to_json_dict(item) for item in value]
        result[field.name] = value
    return result


def from_json_dict(cls: type[_T], data: dict[str, Any]) -> _T:
    """Rebuild a record of type ``cls`` from :func:`to_json_dict` output (unknown keys ignored)."""
    kwargs: dict[str, Any] = {}
    for field in attrs.fields(cls):  # type: ignore[arg-type]
        if field.name not in data:
            continue
        value = data[field.name]
        nested = _NESTED.get((cls, field.name))
        if nested is not None and isinstance(value, list):
            value = [from_json_dict(nested, item) for item in value]
        kwargs[field.name] = value
    return cls(**kwargs)
