"""API keys and projects: authentication, K1-K5 (no HTTP).

Keys created through K2 can be deactivated and deleted (then they answer 401); the bootstrap key
(``BOOTSTRAP_KEY_ID``) cannot (403). A key's plain text is returned once by :meth:`KeyStore.create`; afterwards only its SHA-256 and a
short visible prefix exist. The environment comes from the prefix (``aptr_test_`` → ``test``,
anything else → ``live``), as every official SDK decides it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from ._errors import ApiError, bad_request, forbidden, not_found, unauthorized
from ._models import ApiKey, Project
from ._store_base import Change, StoreContext, hash_secret, new_id

__all__ = [
    "BOOTSTRAP_KEY_ID",
    "KEY_UPDATE_FIELDS",
    "LAST_USED_PERSIST_INTERVAL",
    "KeyStore",
    "env_of_key",
    "require_project",
]

_VISIBLE = 14
_log = logging.getLogger("apertur_local.state")

LAST_USED_PERSIST_INTERVAL = 60.0
"""``last_used_at`` moves in memory on every call but is stored at most this often (seconds) per
key, so that reading the API does not cost a disk write per request; a crash may lose up to this
much of it, and nothing else."""

BOOTSTRAP_KEY_ID = "key_bootstrap"
"""Id of the configured key; it can be edited but never deleted or deactivated (403), so a local
server always stays reachable (fuzzers and tests cannot lock themselves out)."""


def env_of_key(token: str) -> str:
    """``test`` for ``aptr_test_…`` tokens, ``live`` for everything else."""
    return "test" if token.startswith("aptr_test_") else "live"


KEY_UPDATE_FIELDS = frozenset(
    {
        "label",
        "is_active",
        "max_images",
        "allowed_mime_types",
        "max_image_dimension",
        "allowed_ips",
        "allowed_domains",
    }
)
"""Record fields K3 may change (the handler maps camelCase wire names onto these)."""


class KeyStore:
    """Projects and API keys."""

    def __init__(self, ctx: StoreContext) -> None:
        self._ctx = ctx
        self._last_stored_use: dict[str, float] = {}

    def seed(self, change: Change, *, empty: bool = False) -> None:
        """Stage the configured project and bootstrap key when missing (``empty``: the tables are
        being cleared in the same change). A bootstrap key with another secret is replaced."""
        config, now = self._ctx.config, self._ctx.now()
        tables = self._ctx.tables
        if empty or config.project_id not in tables.projects:
            change.insert(Project(config.project_id, config.project_name, now))
        digest = hash_secret(config.api_key)
        if empty or not any(key.key_hash == digest for key in tables.keys.values()):
            key = ApiKey(
                id=BOOTSTRAP_KEY_ID,
                project_id=config.project_id,
                label="Bootstrap key",
                prefix=config.api_key[:_VISIBLE],
                key_hash=digest,
                env=env_of_key(config.api_key),
                created_at=now,
            )
            change.insert(key)

    def authenticate(self, token: str) -> ApiKey:
        """The active key whose plain text is ``token``; 401 otherwise."""
        digest = hash_secret(token)
        for key in self._ctx.tables.keys.values():
            if secrets.compare_digest(key.key_hash, digest):
                if not key.is_active:
                    raise unauthorized("API key is inactive")
                self._used(key)
                return key
        raise unauthorized("Invalid API key")

    def _used(self, key: ApiKey) -> None:
        now = self._ctx.now()
        stored = self._last_stored_use.setdefault(key.id, key.last_used_at or 0.0)
        if now - stored < LAST_USED_PERSIST_INTERVAL:
            key.last_used_at = now  # advisory; stored with the next write of the key
            return
        try:
            with self._ctx.change() as change:
                change.update(key, last_used_at=now)
        except ApiError as exc:  # never fail a request over this timestamp
            _log.debug("last_used_at of %s not stored: %s", key.id, exc.message)
            key.last_used_at = now
            return
        self._last_stored_use[key.id] = now

    def project(self, project_id: str) -> Project:
        """The project called ``project_id``; 404 otherwise."""
        project = self._ctx.tables.projects.get(project_id)
        if project is None:
            raise not_found("Project")
        return project

    def for_project(self, project_id: str) -> list[ApiKey]:
        """K1: the project's keys, oldest first."""
        return [k for k in self._ctx.tables.keys.values() if k.project_id == project_id]

    def get(self, project_id: str, key_id: str) -> ApiKey:
        """One key of the project; 404 otherwise."""
        key = self._ctx.tables.keys.get(key_id)
        if key is None or key.project_id != project_id:
            raise not_found("API key")
        return key

    def create(
        self,
        project_id: str,
        env: str,
        label: str,
        *,
        max_images: int | None = None,
        allowed_mime_types: list[str] | None = None,
        max_image_dimension: int | None = None,
    ) -> tuple[ApiKey, str]:
        """K2: a new key of environment ``env``; returns it with its plain text (shown once)."""
        plain = f"aptr_{env}_{secrets.token_hex(16)}"
        key = ApiKey(
            id=new_id("key"),
            project_id=project_id,
            label=label,
            prefix=plain[:_VISIBLE],
            key_hash=hash_secret(plain),
            env=env,
            created_at=self._ctx.now(),
            max_images=max_images,
            allowed_mime_types=list(allowed_mime_types or []),
            max_image_dimension=max_image_dimension,
        )
        with self._ctx.change() as change:
            change.insert(key)
        return key, plain

    def update(self, project_id: str, key_id: str, changes: Mapping[str, Any]) -> ApiKey:
        """K3: apply validated ``changes`` (record field name → new value, ``None`` clears)."""
        key = self.get(project_id, key_id)
        if key.id == BOOTSTRAP_KEY_ID and changes.get("is_active") is False:
            raise forbidden("The bootstrap key of apertur-local cannot be deactivated")
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in KEY_UPDATE_FIELDS:
                raise bad_request(f"Field {name!r} cannot be updated")
            if name in {"allowed_mime_types", "allowed_ips", "allowed_domains"}:
                value = list(value or [])
            values[name] = value
        with self._ctx.change() as change:
            change.update(key, **values)
        return key

    def delete(self, project_id: str, key_id: str) -> None:
        """K4: forget the key (it stops authenticating at once)."""
        key = self.get(project_id, key_id)
        if key_id == BOOTSTRAP_KEY_ID:
            raise forbidden("The bootstrap key of apertur-local cannot be deleted")
        with self._ctx.change() as change:
            change.delete(key)

    def set_destinations(
        self,
        caller: ApiKey,
        key_id: str,
        destination_ids: list[str],
        long_polling_enabled: bool | None,
    ) -> ApiKey:
        """K5: default destinations (and optionally pull delivery) of a key of the caller's project."""
        key = self._ctx.tables.keys.get(key_id)
        if key is None or key.project_id != caller.project_id:
            raise not_found("API key")
        destinations = self._ctx.tables.destinations
        unknown = [
            d
            for d in destination_ids
            if d not in destinations or destinations[d].project_id != key.project_id
        ]
        if unknown:
            raise ApiError(404, f"Destination(s) not found: {', '.join(unknown)}")
        values: dict[str, Any] = {"default_destinations": list(dict.fromkeys(destination_ids))}
        if long_polling_enabled is not None:
            values["long_polling_enabled"] = long_polling_enabled
        with self._ctx.change() as change:
            change.update(key, **values)
        return key


def require_project(caller: ApiKey, project_id: str) -> None:
    """404 unless ``project_id`` is the caller key's own project."""
    if project_id != caller.project_id:
        raise ApiError(404, "Project not found")
