"""The state database: a store that cannot be read is refused, never replaced by an empty one."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from localhelpers import with_server_key

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
    state = build_state(LocalConfig(data_dir=with_server_key(tmp_path)))
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


# --- the SQLite layer directly: what Database promises its callers ------------------------------


def _ids(db: Database, table: str = "sessions") -> list[str]:
    return [row["id"] for row in db.load()[table]]


def test_writes_add_up_and_a_replaced_row_keeps_its_place(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "state.sqlite3", durable=False)
    db.write([("sessions", "a", '{"id": "a"}')])
    db.write([("sessions", "b", '{"id": "b"}'), ("images", "i", '{"id": "i"}')])
    db.write([("sessions", "a", '{"id": "a", "v": 2}')])  # replaced: still first
    assert db.load()["sessions"] == [{"id": "a", "v": 2}, {"id": "b"}]
    db.write([], [("sessions", "a")])
    assert _ids(db) == ["b"]
    assert _ids(db, "images") == ["i"]
    db.write([("keys", "k", '{"id": "k"}')], clear=True)  # everything else is gone
    assert db.load() == {table: ([{"id": "k"}] if table == "keys" else []) for table in TABLES}
    db.close()


def test_what_was_written_is_there_after_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    db = Database.open(path, durable=True)
    db.write([("sessions", f"s{n}", f'{{"id": "s{n}"}}') for n in range(5)])
    db.write([("sessions", "s1", '{"id": "s1", "v": 2}')], [("sessions", "s3")])
    db.close()
    db.close()  # idempotent
    reopened = Database.open(path, durable=True)
    assert reopened.load()["sessions"] == [
        {"id": "s0"},
        {"id": "s1", "v": 2},
        {"id": "s2"},
        {"id": "s4"},
    ]
    reopened.close()


def test_every_statement_of_every_table_does_its_job() -> None:
    # The statements are built once at import; here each one runs on a scratch database.
    from apertur_local._database import _statements

    connection = sqlite3.connect(":memory:", isolation_level=None)
    for table in TABLES:
        sql = _statements(table)
        connection.execute(sql["create"])
        connection.execute(sql["insert"], ("a", "1"))
        connection.execute(sql["insert"], ("b", "2"))
        with pytest.raises(sqlite3.IntegrityError):  # ids are unique
            connection.execute(sql["insert"], ("a", "3"))
        with pytest.raises(sqlite3.IntegrityError):  # data is required
            connection.execute(sql["insert"], ("c", None))
        connection.execute(sql["upsert"], ("a", "4"))  # replaced in place
        connection.execute(sql["upsert"], ("c", "5"))
        assert connection.execute(sql["select"]).fetchall() == [("a", "4"), ("b", "2"), ("c", "5")]
        connection.execute(sql["delete"], ("b",))
        assert connection.execute(sql["select"]).fetchall() == [("a", "4"), ("c", "5")]
        connection.execute(sql["clear"])
        assert connection.execute(sql["select"]).fetchall() == []
    connection.close()


def test_a_write_to_an_unknown_table_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "state.sqlite3", durable=False)
    with pytest.raises(ValueError, match="unknown table 'nope'"):
        db.write([("sessions", "a", '{"id": "a"}'), ("nope", "b", "{}")])
    assert _ids(db) == []
    db.write([("sessions", "a", '{"id": "a"}')])  # the transaction was closed
    assert _ids(db) == ["a"]
    db.close()


def test_a_refused_write_names_the_sqlite_error(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "state.sqlite3", durable=False)
    with pytest.raises(StoreWriteError) as info:
        db.write([("sessions", "c", None)])  # type: ignore[list-item]
    assert str(info.value) == "IntegrityError: NOT NULL constraint failed: sessions.data"
    db.close()
    with pytest.raises(StoreWriteError) as closed:
        db.write([("sessions", "z", "{}")])
    assert str(closed.value) == "the state database is closed"


def test_a_full_disk_refuses_the_change_and_keeps_what_was_stored(tmp_path: Path) -> None:
    # SQLite rolls a transaction back by itself when the disk is full; the store's own ROLLBACK
    # then fails, and the caller must still get a StoreWriteError, not that second error.
    db = Database.open(tmp_path / "state.sqlite3", durable=False)
    db.write([("sessions", "a", '{"id": "a"}')])
    connection = db._require()
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = [("sessions", f"b{n}", '{"x": "%s"}' % ("y" * 4000)) for n in range(20)]
    with pytest.raises(StoreWriteError, match="full"):
        db.write(big)
    assert _ids(db) == ["a"]
    db.write([("sessions", "c", '{"id": "c"}')])  # usable again: nothing is left half-done
    assert _ids(db) == ["a", "c"]
    db.close()


def test_leftovers_of_an_interrupted_creation_are_cleared(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        (tmp_path / f"state.sqlite3.new{suffix}").write_bytes(b"half-written " * 100)
    db = Database.open(path, durable=True)
    assert db.load() == {table: [] for table in TABLES}
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir() if ".new" in p.name) == []


def test_a_database_that_cannot_be_created_is_a_state_store_error(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "state.sqlite3"
    with pytest.raises(StateStoreError) as info:
        Database.open(path, durable=True)
    assert str(info.value).startswith(f"cannot create the state database {path}: ")
    assert "unable to open" in str(info.value)


def test_a_database_that_cannot_be_opened_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.mkdir()  # not a file: SQLite cannot open it
    with pytest.raises(StateStoreError) as info:
        Database.open(path, durable=True)
    message = str(info.value)
    assert message.startswith(f"cannot open the state database {path} (")
    assert message.endswith(ADVICE)


ADVICE = (
    "the server will not start over it (it would lose what it holds): restore it from a backup, "
    "or move it away to start with an empty state"
)


def _schema_without(path: Path, *tables: str) -> None:
    with sqlite3.connect(path) as connection:
        for table in tables:
            connection.execute(f"DROP TABLE {table}")
    connection.close()


def _set_version(path: Path, value: str | None) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM meta")
        if value is not None:
            connection.execute("INSERT INTO meta VALUES ('schema_version', ?)", (value,))
    connection.close()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda p: _schema_without(p, "webhooks", "deliveries"),
            "{p} is not an apertur-local state database (no table webhooks, deliveries); " + ADVICE,
        ),
        (lambda p: _set_version(p, None), "{p} has no schema version; " + ADVICE),
        (lambda p: _set_version(p, "one"), "{p} has no schema version; " + ADVICE),
        (
            lambda p: _set_version(p, "0"),
            "{p} has schema version 0, this apertur-local reads version 1: use the "
            "apertur-local that wrote it, or another --data-dir",
        ),
    ],
    ids=["missing-tables", "no-version", "version-not-a-number", "older-version"],
)
def test_a_store_of_another_shape_is_refused_with_what_to_do(
    tmp_path: Path, damage: Callable[[Path], None], message: str
) -> None:
    path = tmp_path / "state.sqlite3"
    Database.open(path, durable=True).close()
    damage(path)
    with pytest.raises(StateStoreError) as info:
        Database.open(path, durable=True)
    assert str(info.value) == message.format(p=path)


def test_a_damaged_database_says_what_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    db = Database.open(path, durable=True)
    db.write([("sessions", f"s{n:04}", '{"id": "%s"}' % ("x" * 300)) for n in range(400)])
    db.close()
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    for page in range(3, len(data) // page_size, 3):  # damage many pages of the big table
        data[page * page_size + 8 : page * page_size + 40] = b"\xa5" * 32
    path.write_bytes(bytes(data))
    with sqlite3.connect(path) as connection:
        verdict = [row[0] for row in connection.execute("PRAGMA quick_check")]
    connection.close()
    assert verdict != ["ok"]
    with pytest.raises(StateStoreError) as info:
        Database.open(path, durable=True)
    detail = "; ".join(verdict[:3])
    assert str(info.value) == f"the state database {path} is damaged ({detail}); {ADVICE}"


class _NoWal:
    """A connection whose file system refuses write-ahead logging (a network share)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.closed = False

    def execute(self, sql: str, *args: object) -> object:
        if sql.upper().startswith("PRAGMA JOURNAL_MODE = WAL"):
            return self.connection.execute("PRAGMA journal_mode")  # stays 'delete'
        return self.connection.execute(sql, *args)

    def close(self) -> None:
        self.closed = True
        self.connection.close()


def test_a_file_system_without_write_ahead_logging_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apertur_local import _database

    path = tmp_path / "state.sqlite3"
    Database.create(path, rows={})
    opened: list[_NoWal] = []
    real = _database._connect

    def connect(p: Path, *, create: bool) -> object:
        opened.append(_NoWal(real(p, create=create)))
        return opened[-1]

    monkeypatch.setattr(_database, "_connect", connect)
    with pytest.raises(StateStoreError) as info:
        Database.open(path, durable=True)
    assert str(info.value) == (
        f"the state database {path} cannot use write-ahead logging (journal mode 'delete'); "
        "put the data directory on a local file system"
    )
    assert [c.closed for c in opened] == [True]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "{not json",
            "{p}: the sessions row 's1' is not valid JSON (Expecting property name enclosed in "
            "double quotes: line 1 column 2 (char 1)); the server will not start without it: "
            "restore the file from a backup",
        ),
        ("[1, 2]", "{p}: the sessions row 's1' is damaged"),
    ],
    ids=["not-json", "not-an-object"],
)
def test_a_row_that_does_not_decode_names_the_file_and_the_row(
    tmp_path: Path, data: str, message: str
) -> None:
    path = tmp_path / "state.sqlite3"
    db = Database.open(path, durable=True)
    db.write([("sessions", "s1", data)])
    with pytest.raises(StateStoreError) as info:
        db.load()
    assert str(info.value) == message.format(p=path)
    db.close()
