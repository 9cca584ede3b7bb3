"""The images of the store, in process: the session's rules refused before anything is stored, the
upload record as stored (and after a reopen), the pull queue (acknowledged images never return),
history, delivery rows and the delivery-status cursor."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from localhelpers import FrozenClock, make_png, store_image

from apertur_local import _store_uploads
from apertur_local._errors import ApiError
from apertur_local._models import DestDelivery, Destination, Image, Session
from apertur_local._sniff import ImageInfo
from apertur_local._state import AperturState
from apertur_local._store_sessions import SessionOptions
from apertur_local._store_uploads import NOT_AN_IMAGE, ImageRules, NewImage, image_status

MIB = 1024 * 1024


@pytest.fixture
def state(durable_state: AperturState) -> AperturState:
    return durable_state


def new_session(state: AperturState, **options: object) -> Session:
    key = state.keys.authenticate("aptr_test_local")
    return state.sessions.create(key, SessionOptions(**options))  # type: ignore[arg-type]


def refused(state: AperturState, session: Session, **kwargs: object) -> ApiError:
    """Upload, expecting a refusal that stores nothing and leaves no blob."""
    blobs_before = sorted(p.name for p in state.blobs.blobs.iterdir())
    images_before = list(session.image_ids)
    with pytest.raises(ApiError) as info:
        store_image(state, session, **kwargs)  # type: ignore[arg-type]
    assert session.image_ids == images_before
    assert sorted(p.name for p in state.blobs.blobs.iterdir()) == blobs_before
    return info.value


def test_a_key_limit_lowered_under_a_session_refuses_the_next_upload(state: AperturState) -> None:
    session = new_session(state)
    store_image(state, session)
    state.keys.update("proj_local", session.key_id, {"max_images": 2})
    store_image(state, session)  # the second of two still fits
    error = refused(state, session)
    assert (error.status, error.message) == (
        409,
        "Upload session is completed (max_images reached)",
    )
    other = new_session(state)
    state.keys.update("proj_local", session.key_id, {"max_images": None})
    store_image(state, other)
    state.keys.update("proj_local", session.key_id, {"max_images": 1})  # now at its limit
    error = refused(state, other)
    assert (error.status, error.message) == (409, "Upload session is full (max_images reached)")


def test_a_type_the_session_does_not_allow_is_refused_naming_the_allowed(
    state: AperturState,
) -> None:
    session = new_session(state, allowed_mime_types=["image/jpeg", "image/webp"])
    error = refused(state, session)
    assert (error.status, error.message) == (
        400,
        "Image type image/png (detected from content) is not allowed in this session; "
        "allowed: image/jpeg, image/webp",
    )


def test_the_size_limit_admits_its_exact_size_and_refuses_one_byte_more(
    state: AperturState,
) -> None:
    session = new_session(state)
    state.sessions.update(session, {"max_image_size_mb": 1})
    store_image(state, session, size=MIB)
    error = refused(state, session, size=MIB + 1)
    assert (error.status, error.message) == (413, "Image exceeds the session limit of 1 MB")


def test_a_dimension_limit_needs_both_dimensions(state: AperturState) -> None:
    session = new_session(state, max_image_dimension=10)
    for width, height in ((None, 3), (4, None)):
        error = refused(state, session, width=width, height=height)
        assert (error.status, error.message) == (
            400,
            "Could not read the image dimensions to check max_image_dimension",
        )
    error = refused(state, session, width=11, height=3)
    assert error.message == "Image is 11x3 px; this session allows at most 10 px per side"
    store_image(state, session, width=10, height=10)


def _destinations(state: AperturState, session: Session) -> list[Destination]:
    made = [
        state.destinations.create("proj_local", "s3", name, {}) for name in ("kept", "off", "gone")
    ]
    with state.ctx.change() as change:
        change.update(session, destination_ids=[d.id for d in made])
    state.destinations.update("proj_local", made[1].id, is_active=False)
    state.destinations.delete("proj_local", made[2].id)
    return made


def test_an_upload_is_stored_as_received_with_a_row_per_active_destination(
    state: AperturState, reopen: Callable[[AperturState], AperturState]
) -> None:
    session = new_session(state)
    kept, _, _ = _destinations(state, session)
    first = store_image(state, session, width=4, height=3)
    second = store_image(state, session, make_png(8, 6), width=8, height=6)
    assert first.id.startswith("img_")
    assert second.id.startswith("img_")
    assert (second.key_id, second.env, second.index) == ("key_bootstrap", "test", 1)
    assert (second.width, second.height) == (8, 6)
    assert (second.filename, second.mime_type, second.source, second.is_encrypted) == (
        "p.png",
        "image/png",
        "camera",
        False,
    )
    assert (first.size_bytes, second.size_bytes) == (len(make_png()), len(make_png(8, 6)))
    assert (second.session_id, second.project_id, second.created_at) == (
        session.id,
        "proj_local",
        1_000.0,
    )
    assert second.deliveries == [DestDelivery(kept.id, "s3", "kept", updated_at=1_000.0)]
    assert state.uploads.blob_path(second).read_bytes() == make_png(8, 6)
    again = reopen(state)
    stored = [again.tables.images[i] for i in session.image_ids]
    # what changes on a restart: a delivery under way is marked interrupted
    assert [attrs.evolve(i, deliveries=[]) for i in stored] == [
        attrs.evolve(i, deliveries=[]) for i in (first, second)
    ]
    assert [len(i.deliveries) for i in stored] == [1, 1]


def _received(state: AperturState, mime_type: str = "image/png") -> NewImage:
    temp = state.blobs.new_temp()
    temp.write_bytes(make_png())
    return NewImage(
        content=temp,
        size_bytes=len(make_png()),
        filename="p.png",
        mime_type=mime_type,
        width=4,
        height=3,
        source="camera",
        is_encrypted=True,
    )


def _describing(content: bytes | Path, seen: list[ImageInfo]) -> Callable[[ImageInfo], NewImage]:
    """A ``describe`` of :meth:`UploadStore.store` that notes what it was given."""

    def describe(info: ImageInfo) -> NewImage:
        seen.append(info)
        return NewImage(
            content=content,
            size_bytes=len(make_png(8, 6)),
            filename="p.png",
            mime_type=info.mime_type,
            width=info.width,
            height=info.height,
            source="camera",
            is_encrypted=False,
        )

    return describe


def test_an_upload_through_the_worker_thread_is_stored_the_same(state: AperturState) -> None:
    session = new_session(state)
    new = _received(state)
    key = state.keys.authenticate("aptr_test_local")
    image = asyncio.run(state.uploads.store(session, key, new.content, lambda info: new))
    assert image.id.startswith("img_")
    assert image.is_encrypted
    assert session.image_ids == [image.id]
    assert state.uploads.blob_path(image).read_bytes() == make_png()
    assert isinstance(new.content, Path)
    assert not new.content.exists()  # consumed


@pytest.mark.parametrize("in_memory", [True, False])
def test_an_upload_is_described_from_what_its_content_is(
    state: AperturState, in_memory: bool
) -> None:
    session = new_session(state)
    key = state.keys.authenticate("aptr_test_local")
    content: bytes | Path = make_png(8, 6)
    if not in_memory:
        content = state.blobs.new_temp()
        content.write_bytes(make_png(8, 6))
    seen: list[ImageInfo] = []
    image = asyncio.run(state.uploads.store(session, key, content, _describing(content, seen)))
    assert seen == [ImageInfo("image/png", 8, 6)]
    assert (image.mime_type, image.width, image.height) == ("image/png", 8, 6)
    assert state.uploads.blob_path(image).read_bytes() == make_png(8, 6)
    assert list(state.blobs.tmp.iterdir()) == []  # no temp file left (none made in memory)


@pytest.mark.parametrize("in_memory", [True, False])
def test_bytes_that_are_no_image_are_refused_before_they_are_described(
    state: AperturState, in_memory: bool
) -> None:
    session = new_session(state)
    key = state.keys.authenticate("aptr_test_local")
    content: bytes | Path = b"GIF8 not quite"
    if not in_memory:
        content = state.blobs.new_temp()
        content.write_bytes(b"GIF8 not quite")
    seen: list[ImageInfo] = []
    with pytest.raises(ApiError) as info:
        asyncio.run(state.uploads.store(session, key, content, _describing(content, seen)))
    assert (info.value.status, info.value.message) == (400, NOT_AN_IMAGE)
    assert seen == []
    assert session.image_ids == []
    assert list(state.blobs.blobs.iterdir()) == []


def test_a_refused_upload_leaves_its_temp_file_to_the_caller(state: AperturState) -> None:
    session = new_session(state, allowed_mime_types=["image/jpeg"])
    key = state.keys.authenticate("aptr_test_local")
    for upload in (
        lambda new: state.uploads.add(session, key, new),
        lambda new: asyncio.run(state.uploads.store(session, key, new.content, lambda _: new)),
    ):
        new = _received(state)
        with pytest.raises(ApiError) as info:
            upload(new)
        assert info.value.status == 400
        assert isinstance(new.content, Path)
        assert new.content.read_bytes() == make_png()  # refused before it became a blob
        assert list(state.blobs.blobs.iterdir()) == []


def test_the_rules_are_checked_in_the_thread_as_they_stood_when_the_upload_began(
    state: AperturState, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker thread checks a snapshot of the rules (it never reads the state), and the
    event loop checks the session as it is once the thread is done: a rule tightened meanwhile
    still refuses the image, and its blob is removed."""
    session = new_session(state)
    key = state.keys.authenticate("aptr_test_local")

    async def hop(function: Any, *args: Any) -> Any:
        rules = args[2]
        assert rules == ImageRules(allowed=(), max_size_mb=None, max_dimension=None)
        result = function(*args)  # the blob is written...
        state.sessions.update(session, {"max_image_dimension": 4})  # ...and the rule tightened
        return result

    monkeypatch.setattr(_store_uploads.asyncio, "to_thread", hop)
    content = make_png(8, 6)
    with pytest.raises(ApiError) as info:
        asyncio.run(state.uploads.store(session, key, content, _describing(content, [])))
    assert info.value.status == 400
    assert "8x6 px" in info.value.message
    assert session.image_ids == []
    assert list(state.blobs.blobs.iterdir()) == []


def test_the_rules_of_a_session_fall_back_to_its_key(state: AperturState) -> None:
    key = state.keys.authenticate("aptr_test_local")
    state.keys.update(
        key.project_id, key.id, {"allowed_mime_types": ["image/png"], "max_image_dimension": 9}
    )
    plain = new_session(state)
    assert state.uploads.rules(plain) == ImageRules(
        allowed=("image/png",), max_size_mb=None, max_dimension=9
    )
    own = new_session(state, allowed_mime_types=["image/gif"], max_image_dimension=5)
    state.sessions.update(own, {"max_image_size_mb": 2})
    assert state.uploads.rules(own) == ImageRules(
        allowed=("image/gif",), max_size_mb=2, max_dimension=5
    )


def test_acknowledged_images_never_return_even_after_a_reopen(
    state: AperturState, reopen: Callable[[AperturState], AperturState]
) -> None:
    session = new_session(state, long_polling=True)
    a, b, c = (store_image(state, session) for _ in range(3))
    assert state.uploads.poll(session) == [a, b, c]  # oldest first
    state.uploads.ack(session, b.id)
    assert state.uploads.poll(session) == [a, c]
    with pytest.raises(ApiError) as info:
        state.uploads.ack(session, b.id)
    assert (info.value.status, info.value.message) == (409, "Image already acknowledged")
    again = reopen(state)
    stored = again.sessions.get(session.id)
    assert [i.id for i in again.uploads.poll(stored)] == [a.id, c.id]
    assert [i.id for i in again.uploads.session_images(stored)] == [a.id, b.id, c.id]


def test_the_pull_queue_needs_long_polling(state: AperturState) -> None:
    session = new_session(state)
    image = store_image(state, session)
    for call in (lambda: state.uploads.poll(session), lambda: state.uploads.ack(session, image.id)):
        with pytest.raises(ApiError) as info:
            call()
        assert (info.value.status, info.value.message) == (
            400,
            "Long polling is not enabled for this session (create it with long_polling: true, "
            "or use a key with long polling enabled)",
        )


def test_images_and_records_are_found_only_where_they_belong(state: AperturState) -> None:
    session, other = new_session(state, long_polling=True), new_session(state, long_polling=True)
    mine, theirs = store_image(state, session), store_image(state, other)
    assert state.uploads.in_session(session, mine.id) is mine
    assert state.uploads.session_images(session) == [mine]
    with pytest.raises(ApiError) as info:
        state.uploads.in_session(session, theirs.id)
    assert (info.value.status, info.value.message) == (404, "Image not found")
    with pytest.raises(ApiError) as info:
        state.uploads.ack(session, "img_missing")
    assert (info.value.status, info.value.message) == (404, "Image not found")
    assert state.uploads.record("proj_local", mine.id) is mine
    assert state.uploads.for_project("proj_local") == [theirs, mine]  # newest first
    assert state.uploads.for_project("proj_other") == []
    for project, record_id in (("proj_other", mine.id), ("proj_local", "img_missing")):
        with pytest.raises(ApiError) as info:
            state.uploads.record(project, record_id)
        assert (info.value.status, info.value.message) == (404, "Upload not found")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "stored_only"),
        (["pending"], "pending"),
        (["sent", "retrying"], "pending"),
        (["sent", "sending"], "pending"),
        (["sent", "sent"], "delivered"),
        (["failed", "failed"], "failed"),
        (["sent", "failed"], "partial"),
        (["failed", "sent"], "partial"),
    ],
)
def test_the_upload_status_sums_up_its_deliveries(statuses: list[str], expected: str) -> None:
    image = Image(
        id="img_1",
        session_id="s",
        project_id="p",
        key_id="k",
        env="test",
        filename="a.png",
        mime_type="image/png",
        size_bytes=1,
        source="camera",
        is_encrypted=False,
        created_at=1.0,
        blob="img_1",
        deliveries=[DestDelivery(f"d{n}", "s3", "x", status=s) for n, s in enumerate(statuses)],
    )
    assert image_status(image) == expected


def test_a_delivery_row_moves_durably_and_wakes_the_session(
    state: AperturState, reopen: Callable[[AperturState], AperturState]
) -> None:
    clock = state.clock
    assert isinstance(clock, FrozenClock)
    session = new_session(state)
    one, two = (state.destinations.create("proj_local", "s3", n, {}) for n in ("one", "two"))
    with state.ctx.change() as change:
        change.update(session, destination_ids=[one.id, two.id])
    image = store_image(state, session)
    clock.at = 1_005.0
    state.uploads.update_delivery(image.id, one.id, status="retrying", attempts=2, note="n")
    waiting = state.changes.listen(session.id)
    clock.at = 1_010.0
    row = state.uploads.update_delivery(image.id, one.id, status="failed", last_error="boom")
    assert waiting.is_set()
    expected = DestDelivery(one.id, "s3", "one", "failed", 2, "boom", "n", updated_at=1_010.0)
    assert row == expected
    assert image.deliveries == [expected, DestDelivery(two.id, "s3", "two", updated_at=1_000.0)]
    assert image_status(image) == "pending"
    assert session.last_changed == 1_010.0
    state.uploads.update_delivery(image.id, one.id, status="sent", attempts=3, note="m")
    assert image.deliveries[0] == DestDelivery(one.id, "s3", "one", "sent", 3, None, "m", 1_010.0)
    again = reopen(state)
    assert again.tables.images[image.id].deliveries[0].status == "sent"


def test_a_delivery_row_of_something_gone_is_left_alone(state: AperturState) -> None:
    session = new_session(state)
    dest = state.destinations.create("proj_local", "s3", "one", {})
    with state.ctx.change() as change:
        change.update(session, destination_ids=[dest.id])
    image = store_image(state, session)
    assert state.uploads.update_delivery("img_missing", dest.id, status="sent") is None
    assert state.uploads.update_delivery(image.id, "dest_missing", status="sent") is None
    del state.tables.sessions[session.id]  # a reset while the delivery was under way
    assert state.uploads.update_delivery(image.id, dest.id, status="sent") is None
    assert image.deliveries[0].status == "pending"


def test_the_cursor_of_an_expired_session_is_its_expiry_to_the_millisecond(
    state: AperturState,
) -> None:
    clock = state.clock
    assert isinstance(clock, FrozenClock)
    session = new_session(state, expires_at=1_060.123456)
    assert state.uploads.last_changed(session) == 1_000.0
    clock.at = 1_070.0
    assert state.uploads.last_changed(session) == 1_060.123


@pytest.mark.parametrize("why", ["full", "expired"])
def test_an_upload_to_a_closed_session_is_refused_before_its_bytes_are_read(
    state: AperturState, why: str
) -> None:
    session = new_session(state, max_images=1)
    store_image(state, session)
    if why == "expired":
        session = new_session(state)
        clock = state.clock
        assert isinstance(clock, FrozenClock)
        clock.at = session.expires_at + 1
    key = state.keys.authenticate("aptr_test_local")
    temp = state.blobs.new_temp()
    temp.write_bytes(make_png(8, 6))
    seen: list[ImageInfo] = []
    blobs_before = sorted(p.name for p in state.blobs.blobs.iterdir())
    with pytest.raises(ApiError) as info:
        asyncio.run(state.uploads.store(session, key, temp, _describing(temp, seen)))
    assert info.value.status == (409 if why == "full" else 410)
    assert seen == []  # not even recognised
    assert temp.read_bytes() == make_png(8, 6)  # left to the caller
    assert sorted(p.name for p in state.blobs.blobs.iterdir()) == blobs_before
