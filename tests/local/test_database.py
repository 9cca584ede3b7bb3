"""The state database: a store that cannot be read is refused, never replaced by an empty one."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from apertur_local import LocalConfig
from apertur_local._database import TABLES, Database, StateStoreError, StoreWriteError
from apertur_local._state import build_state
from apertur_local._store_base import RECORD_TYPES
from apertur_local._store_sessions import SessionOptions


def _fingerprint(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def _stored_directory(tmp_path: Path) -> Path:
    state = build_state(LocalConfig(data_dir=tmp_path))
    key = state.keys.authenticate("aptr_test_local")
    for _ in range(3):
        state.sessions.create(key, SessionOptions(tags=["x" * 500]))
    state.close()
    return tmp_path / "state.sqlite3"


def _truncate_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zero_length(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database" * 400)


def _damaged_page(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sessions'"
        ).fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + 64] = b"\xa5" * 64  # the sessions table's page header and cells
    path.write_bytes(bytes(data))


def _foreign_database(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()


def _newer_schema(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = '99' WHERE name = 'schema_version'")
    connection.close()


def _bad_row(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE sessions SET data = '{not json' WHERE seq = 1")
    connection.close()


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_truncate_half, "database"),
        (_zero_length, "is empty"),
        (_garbage, "not a database"),
        (_damaged_page, "database"),
        (_foreign_database, "not an apertur-local state database"),
        (_newer_schema, "schema version 99"),
        (_bad_row, "not valid JSON"),
    ],
    ids=["truncated", "empty", "garbage", "damaged-page", "foreign", "newer", "bad-row"],
)
def test_an_unusable_store_refuses_to_start_and_is_left_alone(
    tmp_path: Path, damage: Callable[[Path], None], expected: str
) -> None:
    database = _stored_directory(tmp_path)
    damage(database)
    before = _fingerprint(tmp_path)
    with pytest.raises(StateStoreError) as info:
        build_state(LocalConfig(data_dir=tmp_path))
    assert expected in str(info.value)
    assert str(database) in str(info.value) or "row" in str(info.value)
    assert _fingerprint(tmp_path) == before  # nothing rewritten, nothing started empty


def test_a_new_database_is_created_complete(tmp_path: Path) -> None:
    database = tmp_path / "state.sqlite3"
    db = Database.open(database, durable=True)
    assert db.load() == {table: [] for table in TABLES}
    db.close()
    assert not (tmp_path / "state.sqlite3.new").exists()
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_durable_stores_commit_with_synchronous_full(tmp_path: Path) -> None:
    durable = Database.open(tmp_path / "a.sqlite3", durable=True)
    scratch = Database.open(tmp_path / "b.sqlite3", durable=False)
    assert durable._require().execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert scratch._require().execute("PRAGMA synchronous").fetchone()[0] == 0  # OFF
    durable.close()
    scratch.close()


def test_a_write_is_one_transaction(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "state.sqlite3", durable=True)
    db.write([("sessions", "a", '{"id": "a"}')])
    with pytest.raises(StoreWriteError):
        # the second statement fails (NOT NULL), so the first must not stay either
        db.write([("sessions", "b", '{"id": "b"}'), ("sessions", "c", None)])  # type: ignore[list-item]
    assert [row["id"] for row in db.load()["sessions"]] == ["a"]
    db.write([("sessions", "a", '{"id": "a", "v": 2}')], [("sessions", "missing")])
    assert db.load()["sessions"] == [{"id": "a", "v": 2}]
    db.close()
    with pytest.raises(StoreWriteError, match="closed"):
        db.write([("sessions", "z", "{}")])


def test_records_and_tables_agree() -> None:
    assert tuple(RECORD_TYPES) == TABLES
