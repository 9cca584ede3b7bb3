"""AperturState without HTTP: lifecycle, events, clock, reset and persistence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from localhelpers import make_png

from apertur_local import Clock, LocalConfig
from apertur_local._errors import ApiError
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
            temp_path=temp,
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
        state.ctx.touch_session(session)
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


def test_corrupt_state_file_starts_fresh(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text("{not json")
    state = build_state(LocalConfig(data_dir=tmp_path))
    assert state.summary()["counts"]["keys"] == 1
    state.close()
