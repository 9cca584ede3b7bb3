"""Upload sessions: S1-S4, S7-S9 and the session lifecycle (no HTTP).

Lifecycle: a session is ``active`` from creation, ``completed`` once it holds its effective
``max_images`` (raising ``max_images`` later re-opens it), and ``expired`` when the clock passes
``expires_at`` (completion wins over expiry). Uploads into an expired session answer 410, into a
completed one 409, and a wrong or missing ``x-session-password`` answers 403.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from typing import Any

import attrs

from ._errors import ApiError, bad_request, conflict, gone, not_found
from ._models import ApiKey, Session, Share
from ._password_attempts import PasswordAttempts
from ._store_base import Change, SessionCompleted, StoreContext, hash_secret

__all__ = [
    "KNOWN_MIME_TYPES",
    "SESSION_UPDATE_FIELDS",
    "SessionOptions",
    "SessionStore",
    "session_status",
]

KNOWN_MIME_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic"})
"""MIME types the server can recognise from content (and so may be listed as allowed)."""

SESSION_UPDATE_FIELDS = frozenset(
    {
        "expires_at",
        "max_images",
        "allowed_mime_types",
        "max_image_dimension",
        "max_image_size_mb",
        "password",
    }
)
"""Fields S3 may change (``password`` ``None`` removes protection)."""

_HOUR = 3600.0


@attrs.frozen(kw_only=True)
class SessionOptions:
    """Validated S1 body (types already checked by the handler)."""

    destination_ids: list[str] | None = None
    long_polling: bool | None = None
    tags: list[str] | None = None
    expires_in_hours: int | None = None
    expires_at: float | None = None
    max_images: int | None = None
    allowed_mime_types: list[str] | None = None
    max_image_dimension: int | None = None
    password: str | None = None
    metadata: dict[str, Any] | None = None
    label: str | None = None


def session_status(session: Session, now: float) -> str:
    """``completed``, ``expired`` or ``active``."""
    if session.completed_at is not None:
        return "completed"
    if now >= session.expires_at:
        return "expired"
    return "active"


def _check_mime_types(values: list[str] | None) -> None:
    unknown = [v for v in values or [] if v not in KNOWN_MIME_TYPES]
    if unknown:
        raise bad_request(
            f"Unsupported MIME type(s): {', '.join(unknown)}; "
            f"known: {', '.join(sorted(KNOWN_MIME_TYPES))}"
        )


class SessionStore:
    """Sessions of every project."""

    def __init__(self, ctx: StoreContext) -> None:
        self._ctx = ctx
        self.attempts = PasswordAttempts(ctx.config.password_attempts, ctx.now)
        """Wrong passwords tried without an API key (``limited=True`` below)."""

    def create(self, key: ApiKey, options: SessionOptions) -> Session:
        """S1: a new session for ``key``'s project; key defaults fill unset options."""
        ctx, now = self._ctx, self._ctx.now()
        _check_mime_types(options.allowed_mime_types)
        if options.expires_at is not None:
            expires_at = options.expires_at
        else:
            hours = options.expires_in_hours or ctx.config.default_session_hours
            expires_at = now + hours * _HOUR
        if options.destination_ids is not None:
            destination_ids = list(dict.fromkeys(options.destination_ids))
            self._check_destinations(key.project_id, destination_ids)
        else:
            destination_ids = [d for d in key.default_destinations if d in ctx.tables.destinations]
        session = Session(
            id=_new_uuid(),
            project_id=key.project_id,
            key_id=key.id,
            env=key.env,
            created_at=now,
            expires_at=expires_at,
            last_changed=round(now, 3),
            short_code=secrets.token_urlsafe(6),
            tags=list(options.tags) if options.tags is not None else None,
            max_images=options.max_images,
            allowed_mime_types=options.allowed_mime_types,
            max_image_dimension=options.max_image_dimension,
            password_hash=hash_secret(options.password) if options.password else None,
            long_polling=(
                options.long_polling
                if options.long_polling is not None
                else key.long_polling_enabled
            ),
            destination_ids=destination_ids,
            metadata=options.metadata,
            label=options.label,
        )
        with ctx.change() as change:
            change.insert(session)
        return session

    def get(self, session_id: str, project_id: str | None = None) -> Session:
        """The session ``session_id`` (of ``project_id`` when given); 404 otherwise."""
        session = self._ctx.tables.sessions.get(session_id)
        if session is None or (project_id is not None and session.project_id != project_id):
            raise not_found("Session")
        return session

    def status(self, session: Session) -> str:
        """Current lifecycle status."""
        return session_status(session, self._ctx.now())

    def effective_max_images(self, session: Session) -> int | None:
        """Session ``max_images``, else its key's ``maxImages``."""
        key = self._ctx.tables.keys.get(session.key_id)
        return (
            session.max_images if session.max_images is not None else _key_attr(key, "max_images")
        )

    def effective_mime_types(self, session: Session) -> list[str]:
        """Allowed MIME types (empty list = anything recognisable as an image)."""
        if session.allowed_mime_types:
            return list(session.allowed_mime_types)
        key = self._ctx.tables.keys.get(session.key_id)
        return list(key.allowed_mime_types) if key is not None else []

    def effective_max_dimension(self, session: Session) -> int | None:
        """Session ``max_image_dimension``, else its key's ``maxImageDimension``."""
        if session.max_image_dimension is not None:
            return session.max_image_dimension
        return _key_attr(self._ctx.tables.keys.get(session.key_id), "max_image_dimension")

    def update(self, session: Session, changes: Mapping[str, Any]) -> Session:
        """S3: apply validated ``changes`` (record field → value; ``password`` None removes it).

        Every field is checked before anything is staged: a refused change changes nothing.
        """
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in SESSION_UPDATE_FIELDS:
                raise bad_request(f"Field {name!r} cannot be updated")
            if name == "password":
                values["password_hash"] = hash_secret(value) if value else None
            elif name == "allowed_mime_types":
                _check_mime_types(value)
                values[name] = list(value) if value is not None else None
            else:
                values[name] = value
        with self._ctx.change() as change:
            change.update(session, **values)
            self.stage_completion(change, session, len(session.image_ids))
            self._ctx.touch_session(change, session)
        return session

    def verify_password(self, session: Session, password: str, *, limited: bool = False) -> bool:
        """S4: whether ``password`` opens ``session`` (always true when unprotected).

        ``limited`` (a request without an API key): a wrong password counts against the
        session's bound, and past it the check answers 429 (``_password_attempts``).
        """
        if session.password_hash is None:
            return True
        if limited:
            self.attempts.check(session.id)
        right = secrets.compare_digest(session.password_hash, hash_secret(password))
        if limited and not right:
            self.attempts.failed(session.id)
        return right

    def check_open(self, session: Session) -> None:
        """Raise 410 when ``session`` has expired, 409 when it is completed."""
        status = self.status(session)
        if status == "expired":
            raise gone("Upload session has expired")
        if status == "completed":
            raise conflict("Upload session is completed (max_images reached)")

    def check_password(
        self, session: Session, password: str | None, *, limited: bool = False
    ) -> None:
        """Raise 403 unless ``password`` (the ``x-session-password`` header) opens ``session``
        (``limited``: as for :meth:`verify_password`)."""
        if session.password_hash is None:
            return
        if not password:
            raise ApiError(403, "This session is password protected: send x-session-password")
        if not self.verify_password(session, password, limited=limited):
            raise ApiError(403, "Invalid session password")

    def for_project(self, project_id: str) -> list[Session]:
        """S8/S9: the project's sessions, newest first."""
        rows = [s for s in self._ctx.tables.sessions.values() if s.project_id == project_id]
        return rows[::-1]

    def share(self, session: Session, channel: str, recipient: str, note: str | None) -> Share:
        """S7: record a share (nothing is sent from a local server)."""
        share = Share(channel, recipient, session.short_code, self._ctx.now(), note)
        with self._ctx.change() as change:
            change.update(session, shares=[*session.shares, share])
        return share

    def stage_completion(self, change: Change, session: Session, image_count: int) -> None:
        """Stage the completion (or re-opening) of ``session`` once it holds ``image_count``
        images; a session that just completed publishes :class:`SessionCompleted` once stored."""
        current = change.current(session)
        limit = self.effective_max_images(current)
        full = limit is not None and image_count >= limit
        if full and current.completed_at is None:
            change.update(session, completed_at=self._ctx.now())
            self._ctx.touch_session(change, session)
            change.after(lambda: self._ctx.events.publish(SessionCompleted(session)))
        elif not full and current.completed_at is not None:
            change.update(session, completed_at=None)

    def _check_destinations(self, project_id: str, ids: list[str]) -> None:
        table = self._ctx.tables.destinations
        unknown = [d for d in ids if d not in table or table[d].project_id != project_id]
        if unknown:
            raise ApiError(404, f"Destination(s) not found: {', '.join(unknown)}")


def _key_attr(key: ApiKey | None, name: str) -> int | None:
    if key is None:
        return None
    value: int | None = getattr(key, name)
    return value


def _new_uuid() -> str:
    return str(uuid.uuid4())
