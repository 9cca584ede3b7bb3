"""Uploaded images: U1/U2 bookkeeping, the pull queue (P1-P3), history (H1-H3), delivery rows.

The HTTP layer has already received the body (in memory, or streamed to a temp file).
:meth:`UploadStore.store` does the rest in one worker-thread hop: it recognises the image,
checks it against the session's rules (as they stood when the hop began) and makes its bytes a
durable blob under a server-chosen name (written or renamed into place, fsync'd, the directory
fsync'd); back on the event loop it checks the rules again against the session as it is now,
then stores the image (with one pending delivery row per destination) and the session in one
transaction, and publishes :class:`~apertur_local._store_base.ImageStored` for the delivery
engine. (:meth:`UploadStore.add` does the same without the thread, for an image already
recognised.) The blob is on disk before the row naming it is committed; if the commit fails the
blob is removed again, and if the process dies in between, the next start finds it orphaned.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import attrs

from ._errors import bad_request, conflict, not_found, payload_too_large
from ._models import ApiKey, DestDelivery, Image, Session
from ._sniff import ImageInfo, sniff_image
from ._storage import BlobStore
from ._store_base import ImageStored, StoreContext, new_id
from ._store_sessions import SessionStore

__all__ = [
    "DELIVERY_STATUSES",
    "NOT_AN_IMAGE",
    "ImageRules",
    "NewImage",
    "UploadStore",
    "image_status",
]

DELIVERY_STATUSES = ("pending", "sending", "sent", "failed", "retrying")
"""Status values of one destination delivery."""

NOT_AN_IMAGE = (
    "Uploaded file is not a supported image (JPEG, PNG, WebP, GIF, HEIC), judged from its content"
)
"""The 400 message for bytes that :func:`~apertur_local._sniff.sniff_image` does not recognise."""

_MIB = 1024 * 1024


@attrs.frozen(kw_only=True)
class NewImage:
    """A received, decrypted and recognised image: its bytes (in memory, or in a temp file that
    storing it consumes) and what is known of it."""

    content: bytes | Path
    size_bytes: int
    filename: str
    mime_type: str
    width: int | None
    height: int | None
    source: str
    is_encrypted: bool


def image_status(image: Image) -> str:
    """Upload-row status: ``stored_only``, ``pending``, ``delivered``, ``failed`` or ``partial``."""
    statuses = [d.status for d in image.deliveries]
    if not statuses:
        return "stored_only"
    if any(s not in ("sent", "failed") for s in statuses):
        return "pending"
    if all(s == "sent" for s in statuses):
        return "delivered"
    if all(s == "failed" for s in statuses):
        return "failed"
    return "partial"


@attrs.frozen(kw_only=True)
class ImageRules:
    """What a session accepts of one image (its own rules, else its key's): plain values, so
    that a worker thread can check an image without reading the state."""

    allowed: tuple[str, ...]
    """Allowed MIME types; empty: anything recognised as an image."""
    max_size_mb: int | None
    max_dimension: int | None

    def check(self, new: NewImage) -> None:
        """400 for a type or dimension the session refuses, 413 for a size over its limit."""
        if self.allowed and new.mime_type not in self.allowed:
            raise bad_request(
                f"Image type {new.mime_type} (detected from content) is not allowed in this "
                f"session; allowed: {', '.join(self.allowed)}"
            )
        size_mb = self.max_size_mb
        if size_mb is not None and new.size_bytes > size_mb * _MIB:
            raise payload_too_large(f"Image exceeds the session limit of {size_mb} MB")
        dimension = self.max_dimension
        if dimension is not None:
            if new.width is None or new.height is None:
                raise bad_request(
                    "Could not read the image dimensions to check max_image_dimension"
                )
            if max(new.width, new.height) > dimension:
                raise bad_request(
                    f"Image is {new.width}x{new.height} px; this session allows at most "
                    f"{dimension} px per side"
                )


class UploadStore:
    """Images of every session."""

    def __init__(self, ctx: StoreContext, sessions: SessionStore, blobs: BlobStore) -> None:
        self._ctx = ctx
        self._sessions = sessions
        self._blobs = blobs

    def add(self, session: Session, key: ApiKey, new: NewImage) -> Image:
        """U1/U2: accept ``new`` into ``session`` (a temp file is consumed on success)."""
        self._check_rules(session, new)
        image_id = new_id("img")
        self._blobs.put(new.content, image_id)
        return self._store(session, key, new, image_id)

    async def store(
        self,
        session: Session,
        key: ApiKey,
        content: bytes | Path,
        describe: Callable[[ImageInfo], NewImage],
    ) -> Image:
        """U1/U2 for received bytes (``content``; a temp file is consumed on success): one
        worker-thread hop recognises them (400 :data:`NOT_AN_IMAGE` otherwise), has
        ``describe`` turn what was recognised into the :class:`NewImage` (it must not touch the
        state: it runs in the thread), checks that against the session's rules and makes it a
        durable blob; the event loop then checks the rules again and commits the row."""
        self._check_room(session)
        rules = self.rules(session)
        image_id = new_id("img")
        new = await asyncio.to_thread(self._land, content, describe, rules, image_id)
        return self._store(session, key, new, image_id)

    def _land(
        self,
        content: bytes | Path,
        describe: Callable[[ImageInfo], NewImage],
        rules: ImageRules,
        image_id: str,
    ) -> NewImage:
        """The worker thread's part of :meth:`store`: recognise, check, write the blob."""
        info = sniff_image(content)
        if info is None:
            raise bad_request(NOT_AN_IMAGE)
        new = describe(info)
        rules.check(new)
        self._blobs.put(new.content, image_id)
        return new

    def _store(self, session: Session, key: ApiKey, new: NewImage, image_id: str) -> Image:
        """Stage and commit the image whose blob ``image_id`` is on disk (removed on failure)."""
        try:
            self._check_rules(session, new)
            return self._commit(session, key, new, image_id)
        except BaseException:
            self._blobs.delete(image_id)
            raise

    def _commit(self, session: Session, key: ApiKey, new: NewImage, image_id: str) -> Image:
        ctx, tables = self._ctx, self._ctx.tables
        now = ctx.now()
        deliveries = [
            DestDelivery(d.id, d.type, d.name, updated_at=now)
            for d in (tables.destinations.get(i) for i in session.destination_ids)
            if d is not None and d.is_active
        ]
        image = Image(
            id=image_id,
            session_id=session.id,
            project_id=session.project_id,
            key_id=key.id,
            env=key.env,
            filename=new.filename,
            mime_type=new.mime_type,
            size_bytes=new.size_bytes,
            source=new.source,
            is_encrypted=new.is_encrypted,
            created_at=now,
            blob=image_id,
            index=len(session.image_ids),
            width=new.width,
            height=new.height,
            deliveries=deliveries,
        )
        change = ctx.begin()
        change.insert(image)
        change.after(lambda: session.image_ids.append(image.id))
        ctx.touch_session(change, session)
        change.after(lambda: ctx.events.publish(ImageStored(image, session)))
        self._sessions.stage_completion(change, session, len(session.image_ids) + 1)
        ctx.store(change)
        return image

    def rules(self, session: Session) -> ImageRules:
        """What ``session`` accepts of one image, as it stands now."""
        return ImageRules(
            allowed=tuple(self._sessions.effective_mime_types(session)),
            max_size_mb=session.max_image_size_mb,
            max_dimension=self._sessions.effective_max_dimension(session),
        )

    def _check_room(self, session: Session) -> None:
        self._sessions.check_open(session)
        limit = self._sessions.effective_max_images(session)
        if limit is not None and len(session.image_ids) >= limit:
            raise conflict("Upload session is full (max_images reached)")

    def _check_rules(self, session: Session, new: NewImage) -> None:
        self._check_room(session)
        self.rules(session).check(new)

    def blob_path(self, image: Image) -> Path:
        """Where the image's bytes are stored."""
        return self._blobs.path(image.blob)

    def in_session(self, session: Session, image_id: str) -> Image:
        """P2: an image of ``session``; 404 otherwise."""
        image = self._ctx.tables.images.get(image_id)
        if image is None or image.session_id != session.id:
            raise not_found("Image")
        return image

    def poll(self, session: Session) -> list[Image]:
        """P1: unacknowledged images of a long-polling session, oldest first."""
        self._require_long_polling(session)
        images = (self._ctx.tables.images.get(i) for i in session.image_ids)
        return [img for img in images if img is not None and not img.acknowledged]

    def ack(self, session: Session, image_id: str) -> Image:
        """P3: remove an image from the pull queue; 409 when it was already acknowledged."""
        self._require_long_polling(session)
        image = self.in_session(session, image_id)
        if image.acknowledged:
            raise conflict("Image already acknowledged")
        with self._ctx.change() as change:
            change.update(image, acknowledged=True)
        return image

    def _require_long_polling(self, session: Session) -> None:
        if not session.long_polling:
            raise bad_request(
                "Long polling is not enabled for this session "
                "(create it with long_polling: true, or use a key with long polling enabled)"
            )

    def for_project(self, project_id: str) -> list[Image]:
        """H1/H2: the project's upload records, newest first."""
        rows = [i for i in self._ctx.tables.images.values() if i.project_id == project_id]
        return rows[::-1]

    def record(self, project_id: str, record_id: str) -> Image:
        """H3: one upload record of the project; 404 otherwise."""
        image = self._ctx.tables.images.get(record_id)
        if image is None or image.project_id != project_id:
            raise not_found("Upload")
        return image

    def session_images(self, session: Session) -> list[Image]:
        """Every image of ``session``, oldest first."""
        images = (self._ctx.tables.images.get(i) for i in session.image_ids)
        return [img for img in images if img is not None]

    def update_delivery(
        self,
        image_id: str,
        destination_id: str,
        *,
        status: str,
        attempts: int | None = None,
        last_error: str | None = None,
        note: str | None = None,
    ) -> DestDelivery | None:
        """Move one delivery row (if the image and row still exist) and wake long-pollers;
        returns the row as stored (a new object: rows are replaced, never changed in place)."""
        image = self._ctx.tables.images.get(image_id)
        if image is None:
            return None
        row = next((d for d in image.deliveries if d.destination_id == destination_id), None)
        session = self._ctx.tables.sessions.get(image.session_id)
        if row is None or session is None:
            return None
        new_row = attrs.evolve(
            row,
            status=status,
            attempts=row.attempts if attempts is None else attempts,
            last_error=last_error,
            note=row.note if note is None else note,
            updated_at=self._ctx.now(),
        )
        with self._ctx.change() as change:
            change.update(image, deliveries=[new_row if d is row else d for d in image.deliveries])
            self._ctx.touch_session(change, session)
        return new_row

    def last_changed(self, session: Session) -> float:
        """Delivery-status cursor: the last change, or the expiry once it has passed."""
        if self._sessions.status(session) == "expired":
            return max(session.last_changed, round(session.expires_at, 3))
        return session.last_changed
