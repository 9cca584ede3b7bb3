"""AperturState: everything the local server knows, and every operation on it (no HTTP).

Built by :func:`build_state` (no module-level state). Operations are grouped by resource in
stores that share one :class:`~apertur_local._store_base.StoreContext`:

* ``state.keys`` (projects, keys, authentication), ``state.sessions``, ``state.uploads``,
  ``state.destinations``, ``state.webhooks``; plus :meth:`AperturState.stats`,
  :meth:`AperturState.reset` and :meth:`AperturState.summary`.

With a user-given data directory every mutation is saved to ``state.json`` (and reloaded at the
next start); otherwise a temporary directory is used and removed by :meth:`close`.
"""

from __future__ import annotations

import calendar
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from ._config import Clock, LocalConfig
from ._crypto import ServerKey
from ._storage import BlobStore
from ._store_base import ChangeSignal, EventBus, StoreContext, Tables
from ._store_destinations import DestinationStore
from ._store_keys import KeyStore
from ._store_sessions import SessionStore
from ._store_uploads import UploadStore, image_status
from ._store_webhooks import WebhookStore

__all__ = ["AperturState", "build_state"]

_INTERRUPTED = "interrupted: the local server restarted during delivery"


class AperturState:
    """The store of one local server. Use :func:`build_state` to make one."""

    def __init__(
        self,
        config: LocalConfig,
        clock: Clock,
        blobs: BlobStore,
        server_key: ServerKey,
        *,
        persistent: bool,
        owns_data_dir: bool,
    ) -> None:
        self.config = config
        self.clock = clock
        self.blobs = blobs
        self.server_key = server_key
        self.persistent = persistent
        self._owns_data_dir = owns_data_dir
        self.tables = Tables()
        self.changes = ChangeSignal()
        self.events = EventBus()
        self.ctx = StoreContext(config, clock, self.tables, self.changes, self.events, self._save)
        self.keys = KeyStore(self.ctx)
        self.sessions = SessionStore(self.ctx)
        self.uploads = UploadStore(self.ctx, self.sessions, blobs)
        self.destinations = DestinationStore(self.ctx)
        self.webhooks = WebhookStore(self.ctx)

    @property
    def data_dir(self) -> Path:
        """The data directory in use."""
        return self.blobs.root

    def reset(self) -> None:
        """Back to the seeded state: one project, the bootstrap key, nothing else.

        Stored images are deleted; the RSA key is kept; held long-polls are released.
        """
        self.tables.clear()
        self.blobs.clear()
        self.clock.reset()
        self.keys.seed()
        self.changes.wake_all()
        self._save()

    def load_or_seed(self) -> None:
        """Reload persisted state when present, else seed a fresh one."""
        data = self.blobs.load_state() if self.persistent else None
        if data is not None:
            self.tables.load(data)
            self._interrupt_in_flight()
        self.keys.seed()
        self._save()

    def _interrupt_in_flight(self) -> None:
        for image in self.tables.images.values():
            for row in image.deliveries:
                if row.status not in ("sent", "failed"):
                    row.status, row.last_error = "failed", _INTERRUPTED
        for delivery in self.tables.deliveries.values():
            if delivery.status == "retrying":
                delivery.status, delivery.last_error = "failed", _INTERRUPTED
                delivery.next_retry_at = None

    def _save(self) -> None:
        if self.persistent:
            self.blobs.save_state(self.tables.dump())

    def close(self) -> None:
        """Release waiters; remove the data directory when it was a temporary one."""
        self.changes.close()
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
    """A ready AperturState: data directory prepared, RSA key loaded or made, state seeded."""
    if config.data_dir is not None:
        root, persistent, owned = Path(config.data_dir), True, False
    else:
        root, persistent, owned = Path(tempfile.mkdtemp(prefix="apertur-local-")), False, True
    blobs = BlobStore(root)
    server_key = ServerKey.load_or_create(blobs.key_file)
    state = AperturState(
        config, clock or Clock(), blobs, server_key, persistent=persistent, owns_data_dir=owned
    )
    state.load_or_seed()
    return state
