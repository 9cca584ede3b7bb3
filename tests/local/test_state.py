"""AperturState without HTTP: lifecycle, events, clock, reset and persistence."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from localhelpers import make_png

from apertur_local import Clock, LocalConfig, _storage, _store_uploads
from apertur_local._database import StateStoreError, StoreWriteError
from apertur_local._errors import ApiError
from apertur_local._models import ApiKey
from apertur_local._state import AperturState, build_state
from apertur_local._store_base import ImageStored, SessionCompleted, StateEvent
from apertur_local._store_sessions import SessionOptions
from apertur_local._store_uploads import NewImage


@pytest.fixture
def state() -> Iterator[AperturState]:
    st = build_state(LocalConfig(), clock=Clock())
    yield st
    st.close()


def add_png(state: AperturState, session_id: str) -> str:
    session = state.sessions.get(session_id)
    key = state.keys.authenticate("aptr_test_local")
    temp = state.blobs.new_temp()
    temp.write_bytes(make_png())
    image = state.uploads.add(
        session,
        key,
        NewImage(
            content=temp,
            size_bytes=len(make_png()),
            filename="p.png",
            mime_type="image/png",
            width=4,
            height=3,
            source="camera",
            is_encrypted=False,
        ),
    )
    return image.id


def test_seeded_project_and_key(state: AperturState) -> None:
    key = state.keys.authenticate("aptr_test_local")
    assert key.project_id == "proj_local"
    assert key.env == "test"
    assert state.keys.project("proj_local").name == "Local project"
    with pytest.raises(ApiError) as info:
        state.keys.authenticate("aptr_test_other")
    assert info.value.status == 401


def test_events_and_completion(state: AperturState) -> None:
    seen: list[StateEvent] = []
    unsubscribe = state.events.subscribe(seen.append)
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions(max_images=1))
    image_id = add_png(state, session.id)
    assert [type(e) for e in seen] == [ImageStored, SessionCompleted]
    assert state.sessions.status(session) == "completed"
    assert state.uploads.blob_path(state.tables.images[image_id]).read_bytes() == make_png()
    with pytest.raises(ApiError) as info:
        state.sessions.check_open(session)
    assert info.value.status == 409
    unsubscribe()


def test_clock_drives_expiry_and_last_changed(state: AperturState) -> None:
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions(expires_in_hours=1))
    before = state.uploads.last_changed(session)
    state.clock.advance(3600)
    assert state.sessions.status(session) == "expired"
    assert state.uploads.last_changed(session) > before
    state.clock.advance(-5)  # ignored: time never goes backwards
    assert state.sessions.status(session) == "expired"


def test_last_changed_strictly_increases(state: AperturState) -> None:
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())
    stamps = []
    for _ in range(5):
        with state.ctx.change() as change:
            state.ctx.touch_session(change, session)
        stamps.append(round(session.last_changed * 1000))
    assert stamps == sorted(set(stamps))


def test_reset_keeps_the_rsa_key(state: AperturState) -> None:
    pem = state.server_key.public_pem
    key = state.keys.authenticate("aptr_test_local")
    add_png(state, state.sessions.create(key, SessionOptions()).id)
    state.reset()
    assert state.summary()["counts"] == {
        "projects": 1,
        "keys": 1,
        "sessions": 0,
        "images": 0,
        "destinations": 0,
        "webhooks": 0,
        "webhookDeliveries": 0,
    }
    assert state.server_key.public_pem == pem
    assert list(state.blobs.blobs.iterdir()) == []


def test_persistence_marks_interrupted_deliveries(tmp_path: Path) -> None:
    config = LocalConfig(data_dir=tmp_path)
    first = build_state(config)
    key = first.keys.authenticate("aptr_test_local")
    dest = first.destinations.create("proj_local", "s3", "b", {})
    session = first.sessions.create(key, SessionOptions(destination_ids=[dest.id]))
    image_id = add_png(first, session.id)
    first.close()
    second = build_state(config)
    (row,) = second.tables.images[image_id].deliveries
    assert row.status == "failed"
    assert "restarted" in (row.last_error or "")
    assert second.server_key.public_pem == first.server_key.public_pem
    second.close()
    assert tmp_path.is_dir()


def _fail_writes(monkeypatch: pytest.MonkeyPatch, state: AperturState) -> list[int]:
    """Make every database write fail like a full disk; returns the list counting attempts."""
    attempts: list[int] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(1)
        raise StoreWriteError("OperationalError: database or disk is full")

    monkeypatch.setattr(state.db, "write", refuse)
    return attempts


def test_a_change_the_disk_refuses_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = LocalConfig(data_dir=tmp_path)
    state = build_state(config)
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions(long_polling=True, max_images=2))
    image_id = add_png(state, session.id)
    before = (dict(state.tables.sessions), attrs.asdict(session), state.summary()["counts"])
    blobs_before = sorted(p.name for p in state.blobs.blobs.iterdir())

    with monkeypatch.context() as patch:
        attempts = _fail_writes(patch, state)
        for attempt in (
            lambda: state.sessions.create(key, SessionOptions(metadata={"a": 1})),
            lambda: state.sessions.update(session, {"max_images": 5}),
            lambda: state.sessions.share(session, "email", "a@b.example", None),
            lambda: add_png(state, session.id),
            lambda: state.uploads.ack(session, image_id),
            lambda: state.keys.create("proj_local", "test", "k"),
            lambda: state.destinations.create("proj_local", "s3", "b", {}),
            lambda: state.webhooks.create("proj_local", "http://127.0.0.1:9/h", ["*"]),
            state.reset,
        ):
            with pytest.raises(ApiError) as info:
                attempt()
            assert info.value.status == 503
            assert info.value.code == "STORAGE_ERROR"
        assert len(attempts) == 9
        assert (dict(state.tables.sessions), attrs.asdict(session)) == before[:2]
        assert state.summary()["counts"] == before[2]
        assert state.uploads.poll(session)[0].id == image_id  # still not acknowledged
        assert sorted(p.name for p in state.blobs.blobs.iterdir()) == blobs_before
        assert list(state.blobs.tmp.iterdir()) == []

    state.uploads.ack(session, image_id)  # the disk is back: the same change now works
    state.close()
    reopened = build_state(config)
    assert reopened.summary()["counts"] == before[2]
    assert reopened.tables.images[image_id].acknowledged
    reopened.close()


def test_blob_is_durable_before_the_row_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = build_state(LocalConfig(data_dir=tmp_path))
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())
    events: list[str] = []
    real_sync, real_dir_sync, real_write = (
        _storage.sync_file,
        _storage.fsync_directory,
        state.db.write,
    )

    def sync_file(path: Path) -> None:
        events.append(f"fsync file in {path.parent.name}")
        real_sync(path)

    def fsync_directory(path: Path) -> None:
        events.append(f"fsync dir {path.name} holding {len(list(path.iterdir()))}")
        real_dir_sync(path)

    def write(*args: Any, **kwargs: Any) -> None:
        events.append(f"commit with {len(list(state.blobs.blobs.iterdir()))} blob(s)")
        real_write(*args, **kwargs)

    monkeypatch.setattr(_storage, "sync_file", sync_file)
    monkeypatch.setattr(_storage, "fsync_directory", fsync_directory)
    monkeypatch.setattr(state.db, "write", write)
    add_png(state, session.id)
    assert events == ["fsync file in tmp", "fsync dir blobs holding 1", "commit with 1 blob(s)"]
    state.close()


def test_an_upload_writes_two_rows_however_much_is_stored(
    state: AperturState, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())
    for _ in range(30):
        add_png(state, session.id)
    written: list[int] = []
    real_write = state.db.write

    def write(puts: Any, deletes: Any = (), **kwargs: Any) -> None:
        written.append(len(puts) + len(deletes))
        assert all(len(data) < 2000 for _, _, data in puts)  # no list of every image in a row
        real_write(puts, deletes, **kwargs)

    monkeypatch.setattr(state.db, "write", write)
    add_png(state, session.id)
    assert written == [2]  # the image and its session, nothing else


def test_restart_keeps_everything_in_order(tmp_path: Path) -> None:
    config = LocalConfig(data_dir=tmp_path)
    first = build_state(config)
    key = first.keys.authenticate("aptr_test_local")
    session = first.sessions.create(
        key, SessionOptions(long_polling=True, tags=["t"], metadata={"deep": {"x": [1, 2]}})
    )
    ids = [add_png(first, session.id) for _ in range(5)]
    first.uploads.ack(session, ids[1])
    first.sessions.share(session, "email", "a@b.example", "hi")
    hook = first.webhooks.create("proj_local", "http://127.0.0.1:9/h", ["image.*"])
    first.webhooks.delete("proj_local", hook.id)

    def snapshot(state: AperturState) -> dict[str, Any]:
        names = ("projects", "keys", "sessions", "images", "webhooks", "deliveries")
        # last_used_at is advisory (stored at most once a minute): not compared
        no_use = attrs.filters.exclude(attrs.fields(ApiKey).last_used_at)
        return {
            name: [attrs.asdict(r, filter=no_use) for r in getattr(state.tables, name).values()]
            for name in names
        }

    expected = snapshot(first)
    first.close()
    second = build_state(config)
    assert snapshot(second) == expected
    assert second.tables.sessions[session.id].image_ids == ids
    assert [i.id for i in second.uploads.poll(second.tables.sessions[session.id])] == [
        ids[0],
        *ids[2:],
    ]
    second.close()


def test_a_session_deleted_by_a_reset_is_never_written_back(state: AperturState) -> None:
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())
    state.reset()
    with pytest.raises(ApiError) as info:
        state.sessions.update(session, {"max_images": 3})
    assert info.value.status == 404
    with pytest.raises(ApiError):
        add_png(state, session.id)
    assert state.summary()["counts"]["sessions"] == 0
    assert state.db.load()["sessions"] == []


def test_a_second_server_on_the_same_directory_is_refused(tmp_path: Path) -> None:
    first = build_state(LocalConfig(data_dir=tmp_path))
    with pytest.raises(StateStoreError, match="in use by another apertur-local"):
        build_state(LocalConfig(data_dir=tmp_path))
    first.close()
    build_state(LocalConfig(data_dir=tmp_path)).close()


def test_another_project_id_on_a_data_directory_is_refused(tmp_path: Path) -> None:
    build_state(LocalConfig(data_dir=tmp_path, project_id="proj_a")).close()
    with pytest.raises(StateStoreError) as info:
        build_state(LocalConfig(data_dir=tmp_path, project_id="proj_b"))
    assert "'proj_a'" in str(info.value)
    assert "--project-id proj_a" in str(info.value)
    state = build_state(LocalConfig(data_dir=tmp_path, project_id="proj_a", api_key="aptr_test_n"))
    assert state.keys.authenticate("aptr_test_n").project_id == "proj_a"
    with pytest.raises(ApiError):
        state.keys.authenticate("aptr_test_local")  # the bootstrap key follows the config
    state.close()


def test_last_used_is_stored_at_most_once_a_minute(
    state: AperturState, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[int] = []
    real_write = state.db.write

    def write(*args: Any, **kwargs: Any) -> None:
        writes.append(1)
        real_write(*args, **kwargs)

    monkeypatch.setattr(state.db, "write", write)
    for _ in range(20):
        key = state.keys.authenticate("aptr_test_local")
    assert len(writes) == 1
    first_use = key.last_used_at
    state.clock.advance(30)
    state.keys.authenticate("aptr_test_local")
    assert len(writes) == 1
    assert (key.last_used_at or 0) > (first_use or 0)
    state.clock.advance(31)
    state.keys.authenticate("aptr_test_local")
    assert len(writes) == 2


def test_an_upload_racing_another_into_the_last_place_is_refused_and_leaves_no_blob(
    state: AperturState, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions(max_images=1))
    temp = state.blobs.new_temp()
    temp.write_bytes(make_png())
    new = NewImage(
        content=temp,
        size_bytes=len(make_png()),
        filename="p.png",
        mime_type="image/png",
        width=4,
        height=3,
        source="camera",
        is_encrypted=False,
    )

    async def hop(function: Any, *args: Any) -> Any:
        result = function(*args)  # the blob is written...
        add_png(state, session.id)  # ...while another upload takes the last place
        return result

    monkeypatch.setattr(_store_uploads.asyncio, "to_thread", hop)
    with pytest.raises(ApiError) as info:
        asyncio.run(state.uploads.store(session, key, temp, lambda info: new))
    assert info.value.status == 409
    assert len(session.image_ids) == 1
    assert [p.name for p in state.blobs.blobs.iterdir()] == session.image_ids


def test_a_listener_registered_before_a_change_sees_it() -> None:
    """The delivery-status hold listens before it yields to the event loop, so a change made
    in between (another task's turn) still wakes it: the event is already registered."""
    from apertur_local._store_base import ChangeSignal

    signal = ChangeSignal()
    event = signal.listen("s1")
    signal.notify("s2")
    assert not event.is_set()
    signal.notify("s1")
    assert event.is_set()
    assert not signal.listen("s1").is_set()  # the next change gets a fresh event
    signal.close()
    assert signal.listen("s1").is_set()  # closed: nobody waits any more
