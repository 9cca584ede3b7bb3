"""Payload parsing: verify what Apertur sends you, then parse it into the generated models.

Every rejection is a :class:`WebhookVerificationError`, so one ``except`` clause covers the lot:
a bad or missing signature carries a :class:`WebhookFailure` code, an authentic body that is not
the expected JSON ``code="invalid_payload"``; messages name a field, never a value. The generated
``from_dict`` methods do not check types, so a payload is first checked against its model's row
of the generated ``WIRE_FIELDS`` table (from the spec).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

from apertur_api.models import WIRE_FIELDS, EventEnvelope, ImageWebhookPayload, RealtimeImageEvent
from apertur_api.types import Unset

from .._core.exceptions import InvalidInputError, WebhookVerificationError
from .signatures import DEFAULT_TOLERANCE, Body, Secret, Webhook

__all__ = [
    "INVALID_PAYLOAD",
    "decode_image_data",
    "parse_event",
    "parse_image_delivery",
    "parse_realtime_event",
]

INVALID_PAYLOAD = "invalid_payload"
ModelT = TypeVar("ModelT")


def _is_datetime(value: object) -> bool:
    try:
        datetime.datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


_CHECKS: dict[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str),
    "enum": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "model": lambda v: isinstance(v, dict),
    "datetime": _is_datetime,
}


def _fits(kind: str, value: object) -> bool:
    """Whether ``value`` has the wire ``kind`` of the ``WIRE_FIELDS`` table."""
    if kind.endswith("|null"):
        return value is None or _fits(kind.removesuffix("|null"), value)
    if kind.startswith("list["):
        return isinstance(value, list) and all(_fits(kind[5:-1], item) for item in value)
    check = _CHECKS.get(kind)
    return check is None or check(value)  # "any": whatever it is


def _problem(data: object, model: str) -> str | None:
    """Why ``data`` does not fit the spec's ``model``."""
    if not isinstance(data, dict):
        return "the payload is not a JSON object"
    for name, (kind, required) in WIRE_FIELDS[model].items():
        if name not in data:
            if required:
                return f"field {name!r} is missing"
        elif not _fits(kind, data[name]):
            return f"field {name!r} has the wrong type"
    return None


def _invalid(message: str) -> WebhookVerificationError:
    return WebhookVerificationError(f"Webhook payload rejected: {message}", code=INVALID_PAYLOAD)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _load_json(body: bytes) -> Any:
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise _invalid("the body is not valid JSON") from None


def _build(cls: type[ModelT], data: Any) -> ModelT:
    problem = _problem(data, cls.__name__)
    if problem is None:
        try:
            return cls.from_dict(data)  # type: ignore[attr-defined, no-any-return]
        except (KeyError, TypeError, ValueError, AttributeError):  # belt and braces
            problem = "the payload does not match the model"
    raise _invalid(problem)


def parse_image_delivery(
    body: Body, headers: Mapping[str, str], secret: Secret
) -> ImageWebhookPayload:
    """Verify an image delivery's ``X-Apertur-Signature`` and parse its ``json_base64`` body.

    ``body`` must be the raw request body, exactly as received; headers may be any mapping
    (matched case-insensitively). Raises :class:`WebhookVerificationError`.
    """
    raw = Webhook(secret, method="image").verify(body, headers)
    return _build(ImageWebhookPayload, _load_json(raw))


def decode_image_data(payload: ImageWebhookPayload) -> bytes:
    """The image bytes of a ``json_base64`` delivery (strict standard base64).

    Raises :class:`WebhookVerificationError` (``invalid_payload``) when ``data`` is not valid
    base64, or when it disagrees with ``size_bytes`` (if the payload carries one).
    """
    try:
        data = base64.b64decode(payload.data, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise _invalid("field 'data' is not valid base64") from None
    size = payload.size_bytes
    if not isinstance(size, Unset) and size != len(data):
        raise _invalid(f"'data' decodes to {len(data)} bytes but size_bytes is {size}")
    return data


def parse_event(
    body: Body,
    headers: Mapping[str, str],
    secret: Secret,
    *,
    method: Literal["hmac_sha256", "svix"] = "hmac_sha256",
    tolerance: float | None = DEFAULT_TOLERANCE,
    clock: Callable[[], float] = time.time,
) -> EventEnvelope:
    """Verify an event-webhook delivery and parse it into an :class:`EventEnvelope`.

    ``method`` is the webhook's ``signatureMethod``; ``tolerance`` (seconds, ``None`` = no
    limit) bounds the age of the signed timestamp against ``clock()`` (Unix time). Raises
    :class:`WebhookVerificationError`; an unknown ``method`` raises :class:`InvalidInputError`.
    """
    if method not in ("hmac_sha256", "svix"):
        raise InvalidInputError("method must be 'hmac_sha256' or 'svix'")
    raw = Webhook(secret, method=method, tolerance=tolerance, clock=clock).verify(body, headers)
    data = _load_json(raw)
    if problem := _problem(data, "EventEnvelope") or _problem(data["data"], "EventData"):
        raise _invalid(problem)
    return _build(EventEnvelope, data)


def parse_realtime_event(raw: object) -> RealtimeImageEvent | None:
    """A real-time ``image:*`` payload as a model, or ``None`` if its shape is unexpected."""
    try:
        return _build(RealtimeImageEvent, raw)
    except WebhookVerificationError:
        return None
