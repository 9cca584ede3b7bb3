"""The change/commit protocol every store uses, in process: what one change stores, in memory and on
disk (across a reopen), what a refused change leaves behind (nothing), and what runs afterwards."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from localhelpers import FrozenClock, store_image, with_server_key

from apertur_local import LocalConfig
from apertur_local._database import StateStoreError, StoreWriteError
from apertur_local._errors import ApiError
from apertur_local._models import Destination, Session
from apertur_local._state import AperturState, build_state
from apertur_local._store_base import ImageStored, StateEvent
from apertur_local._store_sessions import SessionOptions


@pytest.fixture
def state(durable_state: AperturState) -> AperturState:
    return durable_state


def _destination(state: AperturState, name: str) -> Destination:
    return Destination(
        id=f"dest_{name}",
        project_id="proj_local",
        type="s3",
        name=name,
        config={},
        created_at=1.0,
        updated_at=1.0,
    )


def test_updates_in_one_change_build_on_each_other(
    state: AperturState, reopen: Callable[[AperturState], AperturState]
) -> None:
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())
    with state.ctx.change() as change:
        first = change.update(session, label="first")
        second = change.update(session, tags=["t"])
        assert (second.label, second.tags) == ("first", ["t"])
        assert first is not session
        assert session.label is None
    assert (session.label, session.tags) == ("first", ["t"])
    again = reopen(state)
    stored = again.tables.sessions[session.id]
    assert (stored.label, stored.tags) == ("first", ["t"])


def test_a_record_inserted_and_changed_in_one_change_is_stored_changed(
    state: AperturState, reopen: Callable[[AperturState], AperturState]
) -> None:
    dest = _destination(state, "a")
    with state.ctx.change() as change:
        change.insert(dest)
        change.update(dest, name="renamed")
    assert state.tables.destinations[dest.id].name == "renamed"
    again = reopen(state)
    assert again.tables.destinations[dest.id].name == "renamed"


def test_a_record_changed_then_deleted_in_one_change_stays_deleted(
    state: AperturState, reopen: Callable[[AperturState], AperturState]
) -> None:
    dest = _destination(state, "a")
    with state.ctx.change() as change:
        change.insert(dest)
    with state.ctx.change() as change:
        change.update(dest, name="renamed")
        change.delete(dest)
    assert dest.id not in state.tables.destinations
    again = reopen(state)
    assert dest.id not in again.tables.destinations


def test_deleting_a_record_a_reset_already_removed_is_harmless(state: AperturState) -> None:
    dest = _destination(state, "a")
    with state.ctx.change() as change:
        change.insert(dest)
    del state.tables.destinations[dest.id]  # what a reset does while a request is handled
    with state.ctx.change() as change:
        change.delete(dest)
    assert dest.id not in state.tables.destinations


def test_a_record_deleted_meanwhile_is_never_written_back(state: AperturState) -> None:
    dest = _destination(state, "a")
    with state.ctx.change() as change:
        change.insert(dest)
    del state.tables.destinations[dest.id]
    with pytest.raises(ApiError) as info, state.ctx.change() as change:
        change.update(dest, name="b")
    assert (info.value.status, info.value.message) == (
        404,
        "The record was deleted while this request was handled",
    )


def test_a_record_that_cannot_be_stored_changes_nothing(
    state: AperturState, reopen: Callable[[AperturState], AperturState]
) -> None:
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())
    before = session.last_changed
    woken = state.changes.listen(session.id)
    change = state.ctx.begin()
    change.update(session, last_changed=float("nan"), label="x")
    change.after(lambda: state.changes.notify(session.id))
    with pytest.raises(ValueError, match="JSON compliant"):
        state.ctx.store(change)
    assert (session.last_changed, session.label) == (before, None)
    assert not woken.is_set()
    again = reopen(state)
    assert again.tables.sessions[session.id].last_changed == before


def test_a_change_the_database_refuses_is_a_503_and_is_logged(
    state: AperturState, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())

    def refuse(*args: object, **kwargs: object) -> None:
        raise StoreWriteError("OperationalError: disk I/O error")

    monkeypatch.setattr(state.db, "write", refuse)
    with caplog.at_level(logging.ERROR, "apertur_local.state"), pytest.raises(ApiError) as info:
        state.sessions.update(session, {"max_images": 3})
    assert (info.value.status, info.value.code, info.value.message) == (
        503,
        "STORAGE_ERROR",
        "apertur-local could not store this change (its data directory refused the write); "
        "nothing was changed",
    )
    assert session.max_images is None
    assert [r.getMessage() for r in caplog.records] == [
        "a change could not be stored, nothing was changed: OperationalError: disk I/O error"
    ]


def test_every_change_of_a_session_moves_its_cursor_by_the_clock_or_one_millisecond(
    state: AperturState,
) -> None:
    clock = state.clock
    assert isinstance(clock, FrozenClock)
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions(long_polling=True))
    dest = _destination(state, "a")
    with state.ctx.change() as change:
        change.insert(dest)
        change.update(session, destination_ids=[dest.id])
    assert session.last_changed == 1_000.0
    image = store_image(state, session)
    assert session.last_changed == 1_000.001  # same clock reading: still strictly later
    state.uploads.update_delivery(image.id, dest.id, status="sending")
    assert session.last_changed == 1_000.002
    clock.at = 2_000.5
    state.uploads.update_delivery(image.id, dest.id, status="sent")
    assert session.last_changed == 2_000.5


def test_a_stored_change_wakes_the_session_s_waiters_only(state: AperturState) -> None:
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions(long_polling=True))
    other = state.sessions.create(key, SessionOptions(long_polling=True))
    waiting, elsewhere = state.changes.listen(session.id), state.changes.listen(other.id)
    store_image(state, session)
    assert waiting.is_set()
    assert not elsewhere.is_set()
    state.close()
    assert elsewhere.is_set()  # shutdown releases everyone


def test_a_failing_listener_is_logged_and_the_others_still_hear(
    state: AperturState, caplog: pytest.LogCaptureFixture
) -> None:
    heard: list[StateEvent] = []

    def broken(event: StateEvent) -> None:
        raise RuntimeError("listener bug")

    state.events.subscribe(broken)
    unsubscribe = state.events.subscribe(heard.append)
    key = state.keys.authenticate("aptr_test_local")
    session = state.sessions.create(key, SessionOptions())
    with caplog.at_level(logging.ERROR, "apertur_local.state"):
        image = store_image(state, session)
    assert [type(e) for e in heard] == [ImageStored]
    assert isinstance(heard[0], ImageStored)
    assert heard[0].image is image
    assert heard[0].session is session
    assert state.tables.images[image.id] is image  # stored and answered all the same
    [record] = caplog.records
    assert record.getMessage() == "a listener failed on ImageStored"
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "listener bug"
    unsubscribe()
    store_image(state, session)
    assert len(heard) == 1


def test_a_stored_row_that_is_not_a_record_is_refused_by_name(tmp_path: Path) -> None:
    data_dir = with_server_key(tmp_path / "data")
    state = build_state(LocalConfig(data_dir=data_dir))
    row_id = "ses_" + "z" * 200
    state.db.write([("sessions", row_id, f'{{"id": "{row_id}", "project_id": 5}}')])
    state.close()
    with pytest.raises(StateStoreError) as info:
        build_state(LocalConfig(data_dir=data_dir))
    message = str(info.value)
    assert message.startswith(f"a stored sessions row ({row_id[:80]!r}) is not a valid record (")
    assert message.endswith("); restore the data directory from a backup")


def test_the_store_works_from_another_thread_than_the_one_that_opened_it(
    state: AperturState, reopen: Callable[[AperturState], AperturState]
) -> None:
    # A LocalApertur opens the state in the caller's thread and serves it from its own.
    key = state.keys.authenticate("aptr_test_local")
    made: list[object] = []
    worker = threading.Thread(
        target=lambda: made.append(state.sessions.create(key, SessionOptions(label="t")))
    )
    worker.start()
    worker.join()
    [session] = made
    assert isinstance(session, Session)
    again = reopen(state)
    assert again.tables.sessions[session.id].label == "t"
