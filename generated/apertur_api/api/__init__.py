"""The API's namespaces, one per tag of the OpenAPI document, and the index of its operations"""

import importlib
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar, TypeVar

from ..types import AsyncRequester, AsyncResource, Requester, SyncResource

if TYPE_CHECKING:
    from .destinations import AsyncDestinations, Destinations
    from .encryption import AsyncEncryption, Encryption
    from .keys import AsyncKeys, Keys
    from .polling import AsyncPolling, Polling
    from .sessions import AsyncSessions, Sessions
    from .stats import AsyncStats, Stats
    from .upload import AsyncUpload, Upload
    from .uploads import AsyncUploads, Uploads
    from .webhooks import AsyncWebhooks, Webhooks

R = TypeVar("R", bound=SyncResource | AsyncResource)


def _namespace(client: "Namespaces | AsyncNamespaces", name: str, generated: type[R]) -> R:
    """The namespace ``name`` of ``client``: the generated class, or the subclass of the same
    name in the module its client class lists for ``name`` (imported on first use)."""
    module = client._namespace_modules.get(name)
    if module is not None:
        generated = getattr(importlib.import_module(module), generated.__name__)
    return generated(client._requester)  # type: ignore[arg-type]


class Namespaces:
    """The namespaces of a synchronous client, created on first use.

    A client class extends some with hand-written methods: ``_namespace_modules`` maps such a
    namespace to the module defining its subclass of the generated class (of the same name)."""

    _requester: Requester
    _namespace_modules: ClassVar[Mapping[str, str]] = {}

    @cached_property
    def destinations(self) -> "Destinations":
        """The ``destinations`` operations."""
        from .destinations import Destinations

        return _namespace(self, "destinations", Destinations)

    @cached_property
    def encryption(self) -> "Encryption":
        """The ``encryption`` operations."""
        from .encryption import Encryption

        return _namespace(self, "encryption", Encryption)

    @cached_property
    def keys(self) -> "Keys":
        """The ``keys`` operations."""
        from .keys import Keys

        return _namespace(self, "keys", Keys)

    @cached_property
    def polling(self) -> "Polling":
        """The ``polling`` operations."""
        from .polling import Polling

        return _namespace(self, "polling", Polling)

    @cached_property
    def sessions(self) -> "Sessions":
        """The ``sessions`` operations."""
        from .sessions import Sessions

        return _namespace(self, "sessions", Sessions)

    @cached_property
    def stats(self) -> "Stats":
        """The ``stats`` operations."""
        from .stats import Stats

        return _namespace(self, "stats", Stats)

    @cached_property
    def upload(self) -> "Upload":
        """The ``upload`` operations."""
        from .upload import Upload

        return _namespace(self, "upload", Upload)

    @cached_property
    def uploads(self) -> "Uploads":
        """The ``uploads`` operations."""
        from .uploads import Uploads

        return _namespace(self, "uploads", Uploads)

    @cached_property
    def webhooks(self) -> "Webhooks":
        """The ``webhooks`` operations."""
        from .webhooks import Webhooks

        return _namespace(self, "webhooks", Webhooks)


class AsyncNamespaces:
    """The namespaces of an asynchronous client, created on first use.

    A client class extends some with hand-written methods: ``_namespace_modules`` maps such a
    namespace to the module defining its subclass of the generated class (of the same name)."""

    _requester: AsyncRequester
    _namespace_modules: ClassVar[Mapping[str, str]] = {}

    @cached_property
    def destinations(self) -> "AsyncDestinations":
        """The ``destinations`` operations."""
        from .destinations import AsyncDestinations

        return _namespace(self, "destinations", AsyncDestinations)

    @cached_property
    def encryption(self) -> "AsyncEncryption":
        """The ``encryption`` operations."""
        from .encryption import AsyncEncryption

        return _namespace(self, "encryption", AsyncEncryption)

    @cached_property
    def keys(self) -> "AsyncKeys":
        """The ``keys`` operations."""
        from .keys import AsyncKeys

        return _namespace(self, "keys", AsyncKeys)

    @cached_property
    def polling(self) -> "AsyncPolling":
        """The ``polling`` operations."""
        from .polling import AsyncPolling

        return _namespace(self, "polling", AsyncPolling)

    @cached_property
    def sessions(self) -> "AsyncSessions":
        """The ``sessions`` operations."""
        from .sessions import AsyncSessions

        return _namespace(self, "sessions", AsyncSessions)

    @cached_property
    def stats(self) -> "AsyncStats":
        """The ``stats`` operations."""
        from .stats import AsyncStats

        return _namespace(self, "stats", AsyncStats)

    @cached_property
    def upload(self) -> "AsyncUpload":
        """The ``upload`` operations."""
        from .upload import AsyncUpload

        return _namespace(self, "upload", AsyncUpload)

    @cached_property
    def uploads(self) -> "AsyncUploads":
        """The ``uploads`` operations."""
        from .uploads import AsyncUploads

        return _namespace(self, "uploads", AsyncUploads)

    @cached_property
    def webhooks(self) -> "AsyncWebhooks":
        """The ``webhooks`` operations."""
        from .webhooks import AsyncWebhooks

        return _namespace(self, "webhooks", AsyncWebhooks)


OPERATIONS: dict[str, tuple[str, str, bool]] = {
    "list_destinations": ("destinations", "list", True),
    "create_destination": ("destinations", "create", True),
    "delete_destination": ("destinations", "delete", True),
    "update_destination": ("destinations", "update", True),
    "test_destination": ("destinations", "test", True),
    "get_server_key": ("encryption", "get_server_key", True),
    "list_api_keys": ("keys", "list", True),
    "create_api_key": ("keys", "create", True),
    "delete_api_key": ("keys", "delete", True),
    "update_api_key": ("keys", "update", True),
    "set_api_key_destinations": ("keys", "set_destinations", True),
    "poll_images": ("polling", "list", True),
    "download_polled_image": ("polling", "download", True),
    "ack_image": ("polling", "ack", True),
    "create_session": ("sessions", "create", True),
    "get_session": ("sessions", "get", True),
    "update_session": ("sessions", "update", True),
    "verify_session_password": ("sessions", "verify_password", True),
    "get_session_qr": ("sessions", "qr", True),
    "get_delivery_status": ("sessions", "delivery_status", True),
    "share_session": ("sessions", "share", True),
    "list_sessions": ("sessions", "list", True),
    "list_recent_sessions": ("sessions", "recent", True),
    "stream_upload_events": ("events", "subscribe", False),
    "stream_session_events": ("events", "subscribe", False),
    "get_stats": ("stats", "get", True),
    "upload_image": ("upload", "image", False),
    "list_uploads": ("uploads", "list", True),
    "list_recent_uploads": ("uploads", "recent", True),
    "download_upload": ("uploads", "download", True),
    "list_webhooks": ("webhooks", "list", True),
    "create_webhook": ("webhooks", "create", True),
    "delete_webhook": ("webhooks", "delete", True),
    "update_webhook": ("webhooks", "update", True),
    "test_webhook": ("webhooks", "test", True),
    "list_webhook_deliveries": ("webhooks", "deliveries", True),
    "retry_webhook_delivery": ("webhooks", "retry_delivery", True),
}
""" Every operation by its module name (operationId in snake_case): (namespace, SDK method,
whether that method is generated here; if not, the SDK writes it by hand or has none). """

__all__ = ["OPERATIONS", "AsyncNamespaces", "Namespaces"]
