"""Typed access to the SDK's request path from the hand-written namespace methods.

The generated namespaces hold it as ``_requester`` (the generated ``Requester`` protocol);
hand-written methods also need the core behind it (its configuration, ``call`` + ``send``).
"""

from __future__ import annotations

from typing import cast

from apertur_api.types import ArgumentError, AsyncRequester, Requester, path_arg

from .._core.exceptions import InvalidInputError
from .._core.request import AsyncCore, SyncCore

__all__ = ["AsyncCoreAccess", "SyncCoreAccess", "require_id"]


def require_id(value: str, name: str) -> str:
    """Check an id before a loop or subscription starts (the generated path-parameter rule)."""
    try:
        return path_arg(value, name)
    except ArgumentError as exc:
        raise InvalidInputError(str(exc)) from None


class SyncCoreAccess:
    """Mixed into a synchronous namespace: ``self._core``."""

    _requester: Requester

    @property
    def _core(self) -> SyncCore:
        return cast(SyncCore, self._requester)


class AsyncCoreAccess:
    """Mixed into an asynchronous namespace: ``self._core``."""

    _requester: AsyncRequester

    @property
    def _core(self) -> AsyncCore:
        return cast(AsyncCore, self._requester)
