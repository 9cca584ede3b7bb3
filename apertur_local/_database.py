"""The local server's state on disk: one SQLite database (standard library ``sqlite3``), no HTTP.

Layout: a ``meta`` table (schema version) and one table per kind of record, each row
``(seq, id, data)`` where ``seq`` keeps creation order and ``data`` is the record as JSON. Rows
are written one by one, so the cost of a change does not depend on how much is stored.

Guarantees:

* **One transaction per change.** :meth:`Database.write` applies every row of one API change in
  a single ``BEGIN IMMEDIATE … COMMIT``; a failure rolls all of it back and raises
  :class:`StoreWriteError`.
* **Durable when it matters.** A user-given data directory runs with ``synchronous=FULL``: in WAL
  mode that is one fsync of the write-ahead log per commit, so a change that was answered survives
  a power cut, not only a crash of the process (``NORMAL`` would only survive the latter, and an
  acknowledged upload could come back). A temporary directory (removed when the server stops)
  runs with ``synchronous=OFF``: nothing there outlives the process anyway.
* **Never silently empty.** A database file is only ever created complete (schema and version in
  a temporary file, then renamed into place), so an existing file that is empty, not a database,
  fails ``PRAGMA quick_check``, lacks the schema, or holds a row that does not decode makes
  :meth:`Database.open` raise :class:`StateStoreError` with a message saying what to do; the
  server then refuses to start rather than start empty over the data.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "DATABASE_FILE",
    "SCHEMA_VERSION",
    "TABLES",
    "Database",
    "StateStoreError",
    "StoreWriteError",
    "fsync_directory",
]

DATABASE_FILE = "state.sqlite3"
"""Name of the database file in the data directory."""

SCHEMA_VERSION = 1
"""Version written to (and required in) ``meta``."""

TABLES = ("projects", "keys", "sessions", "images", "destinations", "webhooks", "deliveries")
"""The record tables, in the order they are loaded."""

_BUSY_TIMEOUT_MS = 5000


class StateStoreError(Exception):
    """The data directory's state cannot be used; the message says why and what to do."""


class StoreWriteError(Exception):
    """A change could not be stored (nothing of it was); the message names the SQLite error."""


def fsync_directory(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _statements(table: str) -> dict[str, str]:
    # Table names are the constants of TABLES, never input: the only SQL built from strings.
    return {
        "create": f"CREATE TABLE {table} "
        "(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL)",
        "select": f"SELECT id, data FROM {table} ORDER BY seq",  # noqa: S608
        "insert": f"INSERT INTO {table} (id, data) VALUES (?, ?)",  # noqa: S608
        "upsert": f"INSERT INTO {table} (id, data) VALUES (?, ?) "  # noqa: S608
        "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
        "delete": f"DELETE FROM {table} WHERE id = ?",  # noqa: S608
        "clear": f"DELETE FROM {table}",  # noqa: S608
    }


_SQL = {table: _statements(table) for table in TABLES}


def _sql(table: str, statement: str) -> str:
    try:
        return _SQL[table][statement]
    except KeyError:
        raise ValueError(f"unknown table {table!r}") from None


def _schema(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for table in TABLES:
        connection.execute(_sql(table, "create"))
    connection.execute(
        "INSERT INTO meta (name, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
    )


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    mode = "rwc" if create else "rw"
    uri = f"file:{path.as_posix()}?mode={mode}"
    connection = sqlite3.connect(
        uri, uri=True, isolation_level=None, check_same_thread=False, timeout=5
    )
    connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    return connection


class Database:
    """One open state database. Use :meth:`open`; every method is thread-safe."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection: sqlite3.Connection | None = connection
        self._lock = threading.Lock()
        self.path = path

    @classmethod
    def open(cls, path: Path, *, durable: bool) -> Database:
        """Open the database at ``path``, creating it (complete) when absent.

        Raises :class:`StateStoreError` when an existing file cannot be used.
        """
        if not path.exists():
            cls.create(path, rows={})
        connection = cls._open_existing(path)
        # FULL: every commit is on disk before the change is answered (see the module docstring).
        connection.execute(f"PRAGMA synchronous = {'FULL' if durable else 'OFF'}")
        return cls(connection, path)

    @classmethod
    def create(cls, path: Path, rows: Mapping[str, Iterable[tuple[str, str]]]) -> None:
        """Write a complete new database at ``path`` holding ``rows`` (table → (id, JSON)).

        It is built in a temporary file, fsync'd and renamed into place, so ``path`` either does
        not exist or is complete.
        """
        temp = path.with_name(path.name + ".new")
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):  # an interrupted creation's leftovers
                Path(str(temp) + suffix).unlink(missing_ok=True)
            connection = _connect(temp, create=True)
            try:
                connection.execute("PRAGMA journal_mode = DELETE")
                connection.execute("PRAGMA synchronous = FULL")
                connection.execute("BEGIN IMMEDIATE")
                _schema(connection)
                for table, items in rows.items():
                    connection.executemany(_sql(table, "insert"), items)
                connection.execute("COMMIT")
            finally:
                connection.close()
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except (OSError, sqlite3.Error) as exc:
            raise StateStoreError(f"cannot create the state database {path}: {exc}") from exc
        fsync_directory(path.parent)

    @classmethod
    def _open_existing(cls, path: Path) -> sqlite3.Connection:
        advice = (
            "the server will not start over it (it would lose what it holds): restore it from "
            "a backup, or move it away to start with an empty state"
        )
        if path.stat().st_size == 0:
            raise StateStoreError(f"the state database {path} is empty (truncated?); {advice}")
        try:
            connection = _connect(path, create=False)
        except sqlite3.Error as exc:
            raise StateStoreError(
                f"cannot open the state database {path} ({exc}); {advice}"
            ) from exc
        try:
            # Read-only checks first: a file that fails them is left exactly as it was.
            verdict = [row[0] for row in connection.execute("PRAGMA quick_check")]
            if verdict != ["ok"]:
                detail = "; ".join(str(v) for v in verdict[:3])
                raise StateStoreError(f"the state database {path} is damaged ({detail}); {advice}")
            cls._check_schema(connection, path, advice)
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StateStoreError(
                    f"the state database {path} cannot use write-ahead logging (journal mode "
                    f"{mode!r}); put the data directory on a local file system"
                )
        except sqlite3.Error as exc:
            connection.close()
            raise StateStoreError(
                f"the state database {path} is unreadable ({exc}); {advice}"
            ) from exc
        except StateStoreError:
            connection.close()
            raise
        return connection

    @staticmethod
    def _check_schema(connection: sqlite3.Connection, path: Path, advice: str) -> None:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        missing = [t for t in ("meta", *TABLES) if t not in names]
        if missing:
            raise StateStoreError(
                f"{path} is not an apertur-local state database (no table "
                f"{', '.join(missing)}); {advice}"
            )
        row = connection.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise StateStoreError(f"{path} has no schema version; {advice}")
        if int(row[0]) != SCHEMA_VERSION:
            raise StateStoreError(
                f"{path} has schema version {row[0]}, this apertur-local reads version "
                f"{SCHEMA_VERSION}: use the apertur-local that wrote it, or another --data-dir"
            )

    def load(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table, decoded, in creation order (:class:`StateStoreError` if a
        row does not decode)."""
        result: dict[str, list[dict[str, Any]]] = {}
        with self._lock:
            connection = self._require()
            for table in TABLES:
                rows: list[dict[str, Any]] = []
                for row_id, data in connection.execute(_sql(table, "select")):
                    try:
                        value = json.loads(data)
                    except (TypeError, ValueError) as exc:
                        raise StateStoreError(
                            f"{self.path}: the {table} row {row_id!r} is not valid JSON ({exc}); "
                            "the server will not start without it: restore the file from a backup"
                        ) from exc
                    if not isinstance(value, dict):
                        raise StateStoreError(f"{self.path}: the {table} row {row_id!r} is damaged")
                    rows.append(value)
                result[table] = rows
        return result

    def write(
        self,
        puts: Sequence[tuple[str, str, str]],
        deletes: Sequence[tuple[str, str]] = (),
        *,
        clear: bool = False,
    ) -> None:
        """One transaction: empty every table if ``clear``, delete ``(table, id)`` rows, then
        insert or replace ``(table, id, JSON)`` rows (a replaced row keeps its place in order)."""
        with self._lock:
            connection = self._require()
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    if clear:
                        for table in TABLES:
                            connection.execute(_sql(table, "clear"))
                    for table, row_id in deletes:
                        connection.execute(_sql(table, "delete"), (row_id,))
                    for table, row_id, data in puts:
                        connection.execute(_sql(table, "upsert"), (row_id, data))
                    connection.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StoreWriteError(f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        """Close the connection (SQLite checkpoints the log on the last close). Idempotent."""
        with self._lock:
            if self._connection is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.close()
                self._connection = None

    def _require(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreWriteError("the state database is closed")
        return self._connection
