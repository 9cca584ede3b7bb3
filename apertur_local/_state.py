"""AperturState: everything the local server knows, and every operation on it (no HTTP).

Built by :func:`build_state` (no module-level state). Operations are grouped by resource in
stores that share one :class:`~apertur_local._store_base.StoreContext`:

* ``state.keys`` (projects, keys, authentication), ``state.sessions``, ``state.uploads``,
  ``state.destinations``, ``state.webhooks``; plus :meth:`AperturState.stats`,
  :meth:`AperturState.reset` and :meth:`AperturState.summary`;
* ``state.event_log``, the real-time events of every session (kept in memory, for replay).

The records live in memory (reads never touch the disk) and in a SQLite database in the data
directory (``_database``), written one transaction per change before memory changes. A
user-given data directory is durable and reloaded at the next start; otherwise a temporary
directory is used (not fsync'd) and removed by :meth:`AperturState.close`.
"""

from __future__ import annotations

import calendar
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs

from ._config import Clock, LocalConfig
from ._crypto import ServerKey
from ._database import DATABASE_FILE, Database, StateStoreError
from ._errors import ApiError
from ._event_log import EventLog
from ._migration import migrate_state_json
from ._storage import BlobStore, DataDirLock, Housekeeping
from ._store_base import Change, ChangeSignal, EventBus, StoreContext, Tables
from ._store_destinations import DestinationStore
from ._store_keys import KeyStore
from ._store_sessions import SessionStore
from ._store_uploads import UploadStore, image_status
from ._store_webhooks import WebhookStore

__all__ = ["AperturState", "StateStoreError", "build_state"]

_log = logging.getLogger("apertur_local.state")

_INTERRUPTED = "interrupted: the local server restarted during delivery"


class AperturState:
    """The store of one local server. Use :func:`build_state` to make one."""

    def __init__(
        self,
        config: LocalConfig,
        clock: Clock,
        blobs: BlobStore,
        server_key: ServerKey,
        db: Database,
        *,
        persistent: bool,
        owns_data_dir: bool,
        lock: DataDirLock | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.blobs = blobs
        self.server_key = server_key
        self.db = db
        self.persistent = persistent
        self._owns_data_dir = owns_data_dir
        self._lock = lock
        self._closed = False
        self.startup = Housekeeping()
        self.tables = Tables()
        self.changes = ChangeSignal()
        self.events = EventBus()
        self.event_log = EventLog(
            clock.now, retention=config.event_retention, max_events=config.max_logged_events
        )
        self.ctx = StoreContext(config, clock, self.tables, self.changes, self.events, db)
        self.keys = KeyStore(self.ctx)
        self.sessions = SessionStore(self.ctx)
        self.uploads = UploadStore(self.ctx, self.sessions, blobs)
        self.destinations = DestinationStore(self.ctx)
        self.webhooks = WebhookStore(self.ctx)

    @property
    def data_dir(self) -> Path:
        """The data directory in use."""
        return self.blobs.root

    def reset(self) -> Path | None:
        """Back to the seeded state: one project, the bootstrap key, nothing else.

        Stored images are detached at once; the returned directory holds them and is deleted by
        :meth:`BlobStore.remove_tree` (it may be large: call that from a worker thread). The RSA
        key is kept; held long-polls are released.
        """
        change = self.ctx.begin()
        change.clear_all = True
        change.after(self.tables.clear)
        self.keys.seed(change, empty=True)
        self.ctx.store(change)
        detached = self.blobs.detach_all()
        self.clock.reset()
        self.sessions.attempts.clear()
        self.changes.wake_all()
        self.event_log.reset()
        return detached

    def load_or_seed(self) -> None:
        """Load the stored state (a new database holds none), tidy the data directory, mark
        deliveries cut short by a restart as failed, and seed the project and key."""
        self.tables.load(self.db.load())
        projects = list(self.tables.projects)
        if projects and self.config.project_id not in self.tables.projects:
            raise StateStoreError(
                f"the data directory {self.data_dir} holds the project {projects[0]!r}, not "
                f"{self.config.project_id!r}: start with --project-id {projects[0]} to use it, "
                "or use another --data-dir for a new project"
            )
        self.startup = self.blobs.housekeeping({i.blob for i in self.tables.images.values()})
        change = self.ctx.begin()
        self._interrupt_in_flight(change)
        self.keys.seed(change)
        try:
            self.ctx.store(change)
        except ApiError as exc:
            raise StateStoreError(
                f"cannot write to the state database in {self.data_dir}: {exc.message}"
            ) from exc

    def _interrupt_in_flight(self, change: Change) -> None:
        for image in self.tables.images.values():
            if any(row.status not in ("sent", "failed") for row in image.deliveries):
                rows = [
                    row
                    if row.status in ("sent", "failed")
                    else attrs.evolve(row, status="failed", last_error=_INTERRUPTED)
                    for row in image.deliveries
                ]
                change.update(image, deliveries=rows)
        for delivery in self.tables.deliveries.values():
            if delivery.status == "retrying":
                change.update(
                    delivery, status="failed", last_error=_INTERRUPTED, next_retry_at=None
                )

    def release_waiters(self) -> None:
        """End held long-polls and event streams for good (the server is stopping)."""
        self.changes.close()
        self.event_log.close()

    def close(self) -> None:
        """Release waiters, close the database and the directory lock; remove the data
        directory when it was a temporary one. Idempotent."""
        self.release_waiters()
        if self._closed:
            return
        self._closed = True
        self.db.close()
        if self._lock is not None:
            self._lock.release()
        if self._owns_data_dir:
            shutil.rmtree(self.blobs.root, ignore_errors=True)

    def stats(self, project_id: str) -> dict[str, Any]:
        """T1 figures for the project (both ``sessionsInRange`` and ``sessionsThisMonth``)."""
        tables = self.tables
        project = self.keys.project(project_id)
        sessions = [s for s in tables.sessions.values() if s.project_id == project_id]
        images = [i for i in tables.images.values() if i.project_id == project_id]
        month_start = _month_start(self.clock.now())
        this_month = sum(1 for s in sessions if s.created_at >= month_start)
        rows = [d.status for i in images for d in i.deliveries]
        finished = sum(1 for s in rows if s in ("sent", "failed"))
        sent = sum(1 for s in rows if s == "sent")
        return {
            "sessionsInRange": this_month,
            "sessionsThisMonth": this_month,
            "sessionsTotal": len(sessions),
            "imagesUploaded": len(images),
            "imagesDelivered": sum(1 for i in images if image_status(i) == "delivered"),
            "deliverySuccessRate": round(100.0 * sent / finished, 2) if finished else 0.0,
            "totalProjects": 1,
            "activeKeys": sum(
                1 for k in tables.keys.values() if k.project_id == project_id and k.is_active
            ),
            "topProjects": [{"id": project.id, "name": project.name, "sessions": len(sessions)}],
        }

    def summary(self) -> dict[str, Any]:
        """Counts for ``GET /_local/state`` (no secrets)."""
        tables = self.tables
        return {
            "projectId": self.config.project_id,
            "dataDir": str(self.data_dir),
            "persistent": self.persistent,
            "startup": self.startup.as_dict(),
            "clockOffset": self.clock.offset,
            "counts": {
                "projects": len(tables.projects),
                "keys": len(tables.keys),
                "sessions": len(tables.sessions),
                "images": len(tables.images),
                "destinations": len(tables.destinations),
                "webhooks": len(tables.webhooks),
                "webhookDeliveries": len(tables.deliveries),
            },
        }


def _month_start(now: float) -> float:
    tm = time.gmtime(now)
    return float(calendar.timegm((tm.tm_year, tm.tm_mon, 1, 0, 0, 0, 0, 0, 0)))


def build_state(config: LocalConfig, *, clock: Clock | None = None) -> AperturState:
    """A ready AperturState: data directory locked and tidied, RSA key loaded or made, state
    loaded (or migrated from an older ``state.json``) and seeded.

    Raises :class:`StateStoreError` when the data directory cannot be used as it is (in use by
    another server, an unreadable or damaged database, a ``state.json`` that cannot be migrated,
    another project): the server must not start then, and nothing in the directory is changed.
    """
    if config.data_dir is not None:
        root, persistent, owned = Path(config.data_dir), True, False
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateStoreError(f"cannot create the data directory {root}: {exc}") from exc
    else:
        root, persistent, owned = Path(tempfile.mkdtemp(prefix="apertur-local-")), False, True
    lock = DataDirLock(root)
    try:
        lock.acquire()
        state = _open_state(config, clock or Clock(), root, persistent, owned, lock)
    except BaseException:
        lock.release()
        if owned:
            shutil.rmtree(root, ignore_errors=True)
        raise
    return state


def _open_state(
    config: LocalConfig,
    clock: Clock,
    root: Path,
    persistent: bool,
    owned: bool,
    lock: DataDirLock,
) -> AperturState:
    try:
        blobs = BlobStore(root, durable=persistent)
    except OSError as exc:
        raise StateStoreError(f"cannot use the data directory {root}: {exc}") from exc
    database = root / DATABASE_FILE
    if blobs.legacy_state_file.exists():
        if database.exists():
            _log.warning(
                "%s is ignored: the state is in %s", blobs.legacy_state_file, database.name
            )
        else:
            migrate_state_json(blobs.legacy_state_file, database)
    db = Database.open(database, durable=persistent)
    try:
        try:
            server_key = ServerKey.load_or_create(blobs.key_file)
        except (OSError, ValueError) as exc:
            raise StateStoreError(
                f"the server key cannot be used ({exc}); restore it from a backup, or move it "
                "away to make a new one (clients then fetch the new public key)"
            ) from exc
        state = AperturState(
            config,
            clock,
            blobs,
            server_key,
            db,
            persistent=persistent,
            owns_data_dir=owned,
            lock=lock,
        )
        state.load_or_seed()
    except BaseException:
        db.close()
        raise
    return state
