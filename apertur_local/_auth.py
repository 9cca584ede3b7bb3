"""Server-side authentication: the ``Authorization: Bearer <key>`` header of every REST call.

Keys are looked up by hash in the state (``KeyStore.authenticate``); unknown, deleted and inactive
keys all answer 401 ``AUTHENTICATION_FAILED``. A key only reaches its own project: any other
``projectId`` in a path answers 404 ``NOT_FOUND`` (the project does not exist for that caller).
Request signatures are checked by ``_request_signing``'s middleware, not here.
"""

from __future__ import annotations

from starlette.requests import Request

from ._errors import unauthorized
from ._models import ApiKey
from ._store_keys import KeyStore

__all__ = ["authenticate", "bearer_token"]


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or ``None``."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def authenticate(request: Request, keys: KeyStore) -> ApiKey:
    """The API key calling ``request``; 401 when missing or not valid."""
    token = bearer_token(request)
    if token is None:
        raise unauthorized("Missing or malformed Authorization: Bearer header")
    return keys.authenticate(token)
