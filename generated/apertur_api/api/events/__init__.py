"""The ``events`` namespace: ``Events`` and ``AsyncEvents``, one method per operation"""

from __future__ import annotations

from ...types import AsyncResource, SyncResource


class Events(SyncResource):
    """The ``events`` operations (synchronous).

    Every method also takes ``timeout`` (seconds or an ``httpx.Timeout``; default: the client's)
    and ``max_retries`` for this call only, and ``extra_headers``, ``extra_query`` and
    ``extra_body`` for what the API accepts beyond this version of the SDK. Where an argument has
    one of these names, the option is prefixed with ``request_``.
    """


class AsyncEvents(AsyncResource):
    """The ``events`` operations (asynchronous; see :class:`Events`)."""


__all__ = ["AsyncEvents", "Events"]
