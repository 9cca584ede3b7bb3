"""apertur-client: a typed, streaming, retrying Python SDK for the Apertur image-upload API.

Quick start::

    from apertur_ext import Apertur

    with Apertur(api_key="aptr_live_...") as client:
        session = client.sessions.create(max_images=20)
        image = client.upload.image(session.uuid, "/path/to/photo.jpg")

:class:`AsyncApertur` has the same namespaces and methods. Results are the generated
``apertur_api`` models; every failure is an :class:`AperturError`.

Names that need heavier imports (``cryptography``, the generated models) are loaded on first
use, so ``import apertur_ext`` stays fast.
"""

import importlib as _importlib
import typing as _typing

from ._bodies.mime import image_type
from ._client import Apertur, AsyncApertur
from ._core.exceptions import (
    AperturError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    EncryptionKeyError,
    GoneError,
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    UploadMayHaveBeenStoredError,
    ValidationError,
    WebhookVerificationError,
)
from ._core.signing import sign_request
from ._webhooks.signatures import (
    Webhook,
    WebhookFailure,
    event_headers,
    sign_event,
    sign_svix,
    sign_webhook,
    svix_headers,
    verify_event_request,
    verify_event_signature,
    verify_svix_signature,
    verify_webhook_request,
    verify_webhook_signature,
    webhook_headers,
)

if _typing.TYPE_CHECKING:
    from ._bodies.batch import BatchProgress, UploadOutcome
    from ._bodies.crypto import encrypt_image, load_public_key
    from ._events.subscription import (
        AsyncEventSubscription,
        Event,
        EventSubscription,
        EventsUnavailableError,
    )
    from ._polling.state import PollSummary
    from ._polling.waiting import DeliveryTimeoutError, all_sent, at_least, settled
    from ._webhooks.payloads import decode_image_data, parse_event, parse_image_delivery

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Apertur",
    "AperturError",
    "AsyncApertur",
    "AsyncEventSubscription",
    "AuthenticationError",
    "BatchProgress",
    "ConflictError",
    "DeliveryTimeoutError",
    "EncryptionKeyError",
    "Event",
    "EventSubscription",
    "EventsUnavailableError",
    "GoneError",
    "InvalidInputError",
    "InvalidResponseError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PollSummary",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "UploadMayHaveBeenStoredError",
    "UploadOutcome",
    "ValidationError",
    "Webhook",
    "WebhookFailure",
    "WebhookVerificationError",
    "__version__",
    "all_sent",
    "at_least",
    "decode_image_data",
    "encrypt_image",
    "event_headers",
    "image_type",
    "load_public_key",
    "parse_event",
    "parse_image_delivery",
    "settled",
    "sign_event",
    "sign_request",
    "sign_svix",
    "sign_webhook",
    "svix_headers",
    "verify_event_request",
    "verify_event_signature",
    "verify_svix_signature",
    "verify_webhook_request",
    "verify_webhook_signature",
    "webhook_headers",
]

_LAZY = {
    "BatchProgress": "._bodies.batch",
    "UploadOutcome": "._bodies.batch",
    "encrypt_image": "._bodies.crypto",
    "load_public_key": "._bodies.crypto",
    "decode_image_data": "._webhooks.payloads",
    "parse_event": "._webhooks.payloads",
    "parse_image_delivery": "._webhooks.payloads",
    "PollSummary": "._polling.state",
    "Event": "._events.subscription",
    "EventsUnavailableError": "._events.subscription",
    "EventSubscription": "._events.subscription",
    "AsyncEventSubscription": "._events.subscription",
    "DeliveryTimeoutError": "._polling.waiting",
    "all_sent": "._polling.waiting",
    "at_least": "._polling.waiting",
    "settled": "._polling.waiting",
}


def __getattr__(name: str) -> _typing.Any:
    """Load the heavier names on first access (PEP 562)."""
    if name == "__version__":
        from ._core.config import package_version

        return package_version()
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
