"""The data directory: image blobs, upload temp files, its lock, and start-up housekeeping.

Layout under the data directory::

    state.sqlite3 (+ -wal, -shm)  the state database (``_database``)
    blobs/<server-chosen name>    stored image bytes (names are random tokens, never user input)
    tmp/<random>.part             bodies being received or decrypted
    trash/<random>/               blobs of a reset, being deleted in the background
    orphans/<name>                blobs no stored image names, moved aside at start-up
    server_key.pem                the RSA private key (see ``_crypto``)
    .lock                         held (``flock``) while a server uses the directory

A blob is made durable before the database row naming it is committed: :meth:`BlobStore.commit`
fsyncs the finished temp file, renames it into ``blobs/`` and fsyncs the directory. A crash
between that rename and the commit leaves a blob nobody names; the next start moves it to
``orphans/`` and says so (see :meth:`BlobStore.housekeeping`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
from collections.abc import Collection
from pathlib import Path
from typing import IO

import attrs

from ._database import StateStoreError, fsync_directory

try:  # POSIX only; elsewhere the directory is simply not locked
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["BlobStore", "DataDirLock", "Housekeeping"]

_log = logging.getLogger("apertur_local.storage")

_NAME = re.compile(r"^[A-Za-z0-9_]{1,80}$")


@attrs.frozen
class Housekeeping:
    """What start-up found and did in the data directory."""

    leftovers_removed: int = 0
    """Unfinished temp files (``tmp/``) and pending deletions (``trash/``) removed."""
    orphans_moved: int = 0
    """Blobs that no stored image names, moved to ``orphans/`` (safe to delete)."""
    missing_blobs: int = 0
    """Stored images whose blob file is absent (their downloads answer 404)."""

    def as_dict(self) -> dict[str, int]:
        """The figures in the camelCase of ``GET /_local/state``."""
        return {
            "leftoversRemoved": self.leftovers_removed,
            "orphansMoved": self.orphans_moved,
            "missingBlobs": self.missing_blobs,
        }


def sync_file(path: Path) -> None:
    """fsync the file at ``path`` (its bytes reach the disk)."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


class BlobStore:
    """Files of one local server, all below ``root``.

    ``durable`` (a user-given data directory) makes :meth:`commit` fsync; a temporary directory
    skips it, since nothing there outlives the process.
    """

    def __init__(self, root: Path, *, durable: bool = True) -> None:
        self.root = root
        self.durable = durable
        self.blobs = root / "blobs"
        self.tmp = root / "tmp"
        self.trash = root / "trash"
        self.orphans = root / "orphans"
        self.key_file = root / "server_key.pem"
        self.legacy_state_file = root / "state.json"
        for directory in (self.blobs, self.tmp):
            directory.mkdir(parents=True, exist_ok=True)

    def new_temp(self) -> Path:
        """A fresh, not yet existing path under ``tmp/`` (the caller creates and removes it)."""
        return self.tmp / f"{secrets.token_hex(16)}.part"

    def commit(self, temp: Path, name: str) -> None:
        """Make a finished temp file the blob ``blobs/<name>``, durably: fsync, rename, fsync
        the directory."""
        target = self._path(name)
        if self.durable:
            sync_file(temp)
        os.replace(temp, target)
        if self.durable:
            fsync_directory(self.blobs)

    def write(self, data: bytes, name: str) -> None:
        """Make ``data`` the new blob ``blobs/<name>``, durably: write, fsync, fsync the
        directory. A blob that cannot be written whole is removed again."""
        target = self._path(name)
        handle = open(target, "xb")  # noqa: SIM115 - a fresh name: never an existing blob
        try:
            with handle:
                handle.write(data)
                if self.durable:
                    handle.flush()
                    os.fsync(handle.fileno())
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        if self.durable:
            fsync_directory(self.blobs)

    def put(self, content: bytes | Path, name: str) -> None:
        """:meth:`write` bytes received in memory, or :meth:`commit` a temp file."""
        if isinstance(content, bytes):
            self.write(content, name)
        else:
            self.commit(content, name)

    def path(self, name: str) -> Path:
        """Path of the blob called ``name`` (which must be a server-generated token)."""
        return self._path(name)

    def delete(self, name: str) -> None:
        """Remove a blob if present."""
        self._path(name).unlink(missing_ok=True)

    def detach_all(self) -> Path | None:
        """Move every blob out of the way at once (a reset): ``blobs/`` is renamed into
        ``trash/`` and replaced by an empty directory. Returns the detached directory, which the
        caller deletes with :meth:`remove_tree` (from a worker thread: it may be large)."""
        self.trash.mkdir(exist_ok=True)
        detached: Path | None = self.trash / secrets.token_hex(8)
        try:
            os.replace(self.blobs, detached)  # type: ignore[arg-type]
        except FileNotFoundError:
            detached = None
        self.blobs.mkdir(parents=True, exist_ok=True)
        if self.durable:
            fsync_directory(self.root)
        return detached

    @staticmethod
    def remove_tree(path: Path | None) -> None:
        """Delete a detached directory (missing is fine)."""
        if path is not None:
            shutil.rmtree(path, ignore_errors=True)

    def housekeeping(self, known: Collection[str]) -> Housekeeping:
        """Start-up: remove leftovers (``tmp/``, ``trash/``), move blobs not in ``known`` to
        ``orphans/``, and count ``known`` blobs that are missing. Logs what it did."""
        leftovers = 0
        for directory in (self.tmp, self.trash):
            if not directory.is_dir():
                continue
            for entry in directory.iterdir():
                leftovers += 1
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
        present = {entry.name for entry in self.blobs.iterdir()}
        orphans = sorted(present.difference(known))
        if orphans:
            self.orphans.mkdir(exist_ok=True)
            for name in orphans:
                os.replace(self.blobs / name, self.orphans / name)
            if self.durable:
                fsync_directory(self.blobs)
                fsync_directory(self.orphans)
            _log.warning(
                "%d file(s) in %s belonged to no stored image (an upload interrupted before it "
                "was stored); moved to %s, safe to delete",
                len(orphans),
                self.blobs,
                self.orphans,
            )
        missing = sum(1 for name in known if name not in present)
        if missing:
            _log.warning(
                "%d stored image(s) have no file in %s; their downloads answer 404",
                missing,
                self.blobs,
            )
        if leftovers:
            _log.info("removed %d unfinished temporary file(s) from %s", leftovers, self.root)
        return Housekeeping(leftovers, len(orphans), missing)

    def _path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise ValueError(f"invalid blob name {name!r}")
        return self.blobs / name


class DataDirLock:
    """An exclusive lock on a data directory, held while one server uses it.

    A second server on the same directory would serve a stale copy of the state and overwrite
    the first one's changes; it refuses to start instead (:class:`StateStoreError`). The lock is
    released by the kernel when the process ends, even by ``kill -9``.
    """

    def __init__(self, root: Path) -> None:
        self._path = root / ".lock"
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`StateStoreError`."""
        if fcntl is None:  # pragma: no cover - Windows
            return
        handle = open(self._path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise StateStoreError(
                f"the data directory {self._path.parent} is in use by another apertur-local "
                "process; stop it first, or use another --data-dir"
            ) from exc
        self._handle = handle

    def release(self) -> None:
        """Release the lock (idempotent)."""
        if self._handle is not None:
            with contextlib.suppress(OSError):
                if fcntl is not None:
                    fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
