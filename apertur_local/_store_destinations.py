"""Project destinations: D1-D4 (no HTTP; D5's network part lives in ``_delivery``).

Only ``webhook`` destinations are really delivered to (``config.url``, ``config.format`` one of
``json_base64`` (default), ``multipart``, ``binary``, signed with ``config.secret``, generated
when not given). Every other type (``s3``, ``google_drive``, ``dropbox``, …) is accepted and its
deliveries are simulated by the engine.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any

import httpx

from ._errors import bad_request, not_found
from ._models import Destination
from ._store_base import StoreContext, new_id

__all__ = ["DESTINATION_TYPE", "WEBHOOK_FORMATS", "DestinationStore", "check_http_url"]

WEBHOOK_FORMATS = ("json_base64", "multipart", "binary")
"""``config.format`` values of a webhook destination."""

DESTINATION_TYPE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
"""Accepted ``type`` strings (webhook, s3, google_drive, dropbox, onedrive, ftp, ...)."""

_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def check_http_url(value: object, field: str) -> str:
    """``value`` when it is an absolute http(s) URL the sender can use; 400 otherwise."""
    if not isinstance(value, str) or not _URL.match(value):
        raise bad_request(f"{field} must be an absolute http(s) URL")
    try:
        url = httpx.URL(value)
        port = url.port  # httpx checks the range only when connecting
    except (httpx.InvalidURL, ValueError) as exc:
        raise bad_request(f"{field} is not a valid URL") from exc
    if not url.host or (port is not None and not 0 < port < 65536):
        raise bad_request(f"{field} must have a host and a port between 1 and 65535")
    return value


def _normalise_config(
    dest_type: str, config: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> dict[str, Any]:
    result = dict(config)
    if dest_type != "webhook":
        return result
    check_http_url(result.get("url"), "config.url")
    fmt = result.setdefault("format", "json_base64")
    if fmt not in WEBHOOK_FORMATS:
        raise bad_request(f"config.format must be one of {', '.join(WEBHOOK_FORMATS)}")
    secret = result.get("secret")
    if secret is None:
        secret = (previous or {}).get("secret") or secrets.token_hex(32)
    if not isinstance(secret, str) or not secret:
        raise bad_request("config.secret must be a non-empty string")
    result["secret"] = secret
    return result


class DestinationStore:
    """Destinations of every project."""

    def __init__(self, ctx: StoreContext) -> None:
        self._ctx = ctx

    def for_project(self, project_id: str) -> list[Destination]:
        """D1: oldest first."""
        return [d for d in self._ctx.tables.destinations.values() if d.project_id == project_id]

    def get(self, project_id: str, destination_id: str) -> Destination:
        """One destination of the project; 404 otherwise."""
        dest = self._ctx.tables.destinations.get(destination_id)
        if dest is None or dest.project_id != project_id:
            raise not_found("Destination")
        return dest

    def create(
        self, project_id: str, dest_type: str, name: str, config: Mapping[str, Any] | None
    ) -> Destination:
        """D2."""
        if not DESTINATION_TYPE.match(dest_type):
            raise bad_request("type must be a destination type such as webhook, s3, google_drive")
        now = self._ctx.now()
        dest = Destination(
            id=new_id("dest"),
            project_id=project_id,
            type=dest_type,
            name=name,
            config=_normalise_config(dest_type, config or {}, None),
            created_at=now,
            updated_at=now,
        )
        with self._ctx.change() as change:
            change.insert(dest)
        return dest

    def update(
        self,
        project_id: str,
        destination_id: str,
        *,
        name: str | None = None,
        config: Mapping[str, Any] | None = None,
        is_active: bool | None = None,
    ) -> Destination:
        """D3: change the given fields (a new ``config`` replaces the old; a webhook keeps its
        secret unless the new config names one)."""
        dest = self.get(project_id, destination_id)
        values: dict[str, Any] = {"updated_at": self._ctx.now()}
        if config is not None:
            values["config"] = _normalise_config(dest.type, config, dest.config)
        if name is not None:
            values["name"] = name
        if is_active is not None:
            values["is_active"] = is_active
        with self._ctx.change() as change:
            change.update(dest, **values)
        return dest

    def delete(self, project_id: str, destination_id: str) -> None:
        """D4: forget it (and drop it from keys' default destinations)."""
        dest = self.get(project_id, destination_id)
        with self._ctx.change() as change:
            change.delete(dest)
            for key in self._ctx.tables.keys.values():
                if destination_id in key.default_destinations:
                    remaining = [d for d in key.default_destinations if d != destination_id]
                    change.update(key, default_destinations=remaining)
